// Beanstalk option settings, in the three shapes they are written: .ebextensions' `option_settings`
// as a mapping ({"aws:ns": {Option: value}}, a namespace may be scoped to a resource:
// "AWSEBAutoScalingGroup.aws:autoscaling:asg") or a list ([{namespace, option_name, value}]), and
// saved configurations' / env.yaml's `OptionSettings` mapping.
import { isRecord, type KeyPath } from '../source.ts';

export interface OptionSetting {
  namespace: string;
  option: string;
  value: string;
  /** where it is written (the report line's key) */
  at: KeyPath;
}

function scalar(v: unknown): string {
  return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The settings under `key` of a parsed document (option_settings or OptionSettings). */
export function optionSettings(doc: Record<string, unknown>, key: string): OptionSetting[] {
  const v = doc[key];
  const out: OptionSetting[] = [];
  if (Array.isArray(v))
    v.forEach((s, i) => {
      if (isRecord(s) && typeof s.namespace === 'string' && typeof s.option_name === 'string')
        out.push({ namespace: s.namespace, option: s.option_name, value: scalar(s.value), at: [key, i] });
    });
  else if (isRecord(v))
    for (const [scoped, opts] of Object.entries(v)) {
      if (!isRecord(opts)) continue;
      // "Resource.aws:namespace" → the namespace (the resource is Beanstalk's own)
      const namespace = scoped.replace(/^[A-Za-z0-9]+\.(?=aws:)/, '');
      for (const [option, value] of Object.entries(opts))
        out.push({ namespace, option, value: scalar(value), at: [key, scoped, option] });
    }
  return out;
}
