/** NATS credentials for CLI commands, from the environment only (a command line shows in `ps`). */
export interface NatsCredentials {
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
}

export function natsCredentials(env: NodeJS.ProcessEnv): NatsCredentials {
  return {
    ...(env['CSPFLOW_NATS_USER'] === undefined ? {} : { user: env['CSPFLOW_NATS_USER'] }),
    ...(env['CSPFLOW_NATS_PASS'] === undefined ? {} : { pass: env['CSPFLOW_NATS_PASS'] }),
    ...(env['CSPFLOW_NATS_TOKEN'] === undefined ? {} : { token: env['CSPFLOW_NATS_TOKEN'] }),
  };
}
