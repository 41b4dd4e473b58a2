// cmd → command (shell form, like Marathon), args → args.
import type { AppMapper } from '../context.ts';

export const mapCommand: AppMapper = (ctx, m) => {
  const { app, report, name, at } = ctx;
  if (typeof app.cmd === 'string' && app.cmd !== '') {
    m.command = app.cmd;
    report.mapped(name, at('cmd'), 'command', 'shell form (/bin/sh -c), like Marathon');
  } else if (app.cmd !== undefined && app.cmd !== null) report.dropped(name, at('cmd'), 'empty');
  if (Array.isArray(app.args) && app.args.length > 0) {
    m.args = app.args.map(String);
    report.mapped(name, at('args'), 'args');
  }
};
