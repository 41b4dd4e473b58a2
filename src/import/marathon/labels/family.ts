// Label families of Marathon apps: the labels one tool reads (marathon-lb's HAPROXY_*, …), each in
// its own file. Each label goes to the first family in LABEL_FAMILIES (index.ts) that claims it;
// a label no family claims is reported as dropped.
import type { KeyPath } from '../../source.ts';
import type { AppContext, Manifest, Route } from '../context.ts';

export interface Label {
  key: string;
  value: string;
  /** <app>.labels.<key> */
  at: KeyPath;
}

export interface LabelState {
  ctx: AppContext;
  m: Manifest;
  /** routes in label order */
  routes: Route[];
}

export interface LabelFamily {
  /** the tool whose labels these are */
  name: string;
  claims(key: string): boolean;
  /** Called once per app with all its labels; returns the mapper of one claimed label. */
  begin(labels: readonly Label[], st: LabelState): (label: Label) => void;
  /** after every label is read */
  finish?(st: LabelState): void;
}
