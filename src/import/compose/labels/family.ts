// Label families: the labels one tool reads (Traefik, kompose, swarm-cronjob …), each in its own
// file. The labels mapper hands every label to the first family that claims it; a label no family
// claims is reported as dropped. A new tool's labels are a new family in LABEL_FAMILIES (index.ts).
import type { KeyPath } from '../../source.ts';
import type { Cron, Manifest, Route, ServiceContext } from '../context.ts';

export interface Label {
  key: string;
  /** the value as a string ('' for null) */
  value: string;
  /** where the label is: services.<key>.labels.<k> or services.<key>.deploy.labels.<k> */
  at: KeyPath;
}

/** What the families build together while the labels of one service are read. */
export interface LabelState {
  ctx: ServiceContext;
  m: Manifest;
  /** routes in label order, without duplicates */
  routes: Route[];
  /** the cron the labels describe (swarm-cronjob, kompose), finished once all labels are read */
  cron: Partial<Cron>;
  /** the cron labels' report lines, written once the cron is made (or cannot be) */
  cronLines: { at: KeyPath; to: string; note?: string }[];
}

export interface LabelFamily {
  /** the tool whose labels these are */
  name: string;
  claims(key: string): boolean;
  /**
   * Called once per service with every label of every group (a family may need to see them all
   * first: Traefik routers refer to middlewares); returns the mapper of one claimed label.
   */
  begin(labels: readonly Label[], st: LabelState): (label: Label) => void;
  /** after every label is read */
  finish?(st: LabelState): void;
}

/** The report line of a label ferry does not carry over. */
export function dropLabel(label: Label, st: LabelState): void {
  st.ctx.report.dropped(
    st.ctx.name,
    label.at,
    'label: ferry sets its own labels; this one is not carried over',
  );
}
