import { DomainError } from '../errors.js';

/**
 * A caller asked for something the engine cannot answer as asked: an unknown
 * KPI, a dimension the KPI does not offer, bad params, an impossible period.
 * The API reports it as bad input; `field` names the input to fix.
 */
export class KpiInputError extends DomainError {
  override readonly name = 'KpiInputError';
  readonly kind = 'invalid-input';
  constructor(
    /** The input at fault, e.g. `kpiKey`, `period`, `filter.region`, `groupBy`, `params.percent`. */
    override readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One or more KPI definitions are invalid; `problems` lists every one of
 * them, each naming the plugin's source and key, so a boot fails once with
 * the whole list rather than once per mistake.
 */
export class PluginRegistryError extends Error {
  override readonly name = 'PluginRegistryError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid KPI plugins (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`);
  }
}

/** A plugin's compute or formula failed or took too long; only its own cells fail. */
export class KpiPluginError extends DomainError {
  override readonly name = 'KpiPluginError';
  constructor(
    override readonly kpiKey: string,
    readonly pluginSource: string,
    message: string,
    readonly code: 'PLUGIN_ERROR' | 'TIMEOUT' = 'PLUGIN_ERROR',
  ) {
    super(message);
    this.kind = code === 'TIMEOUT' ? 'plugin-timeout' : 'plugin-failed';
  }

  readonly kind: 'plugin-failed' | 'plugin-timeout';
}
