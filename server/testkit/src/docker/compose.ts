import type { DockerEngine } from './engine.js';
import { run, type RunOptions } from './run.js';

/**
 * One docker-compose project (Debian's docker-compose 1.29, which talks to the engine at
 * /var/run/docker.sock). Containers are named `<project>_<service>_1`.
 */
export class ComposeProject {
  constructor(
    private readonly engine: DockerEngine,
    readonly name: string,
    readonly files: readonly string[],
    /** Where relative paths in the first file resolve (the project directory). */
    readonly cwd: string,
    /** Variables the files interpolate (`${VETHMAP_TOKEN:-}`), on top of this process's environment. */
    private readonly vars: Readonly<Record<string, string | undefined>> = {},
  ) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new Error(`not a compose project name: ${name}`);
  }

  compose(args: readonly string[], options: RunOptions = {}): Promise<string> {
    const env = { ...(options.env ?? process.env), ...this.vars };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k]; // unset, not ''
    return run('docker-compose', ['-p', this.name, ...this.files.flatMap((f) => ['-f', f]), ...args], { cwd: this.cwd, timeoutMs: 5 * 60_000, ...options, env });
  }

  /** `up -d --no-build`: the image was built before, with the bases only this test has. */
  up(): Promise<string> {
    return this.compose(['up', '-d', '--no-build']);
  }

  /** Stops and removes the project's containers and networks. Never throws. */
  async down(): Promise<void> {
    await this.compose(['down', '--remove-orphans', '--timeout', '5']).catch(() => undefined);
  }

  container(service: string): string {
    return `${this.name}_${service}_1`;
  }

  /** `docker inspect` of a service's container. */
  async inspect(service: string): Promise<ContainerState> {
    return (JSON.parse(await this.engine.docker(['inspect', this.container(service)])) as ContainerState[])[0]!;
  }

  /** Resolves once the service's healthcheck reports healthy; rejects if it is unhealthy or the container stops. */
  async healthy(service: string, timeoutMs: number): Promise<ContainerState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.inspect(service);
      if (s.State.Health?.Status === 'healthy') return s;
      const why = !s.State.Running ? `stopped (exit ${s.State.ExitCode})` : s.State.Health?.Status === 'unhealthy' ? 'unhealthy' : Date.now() > deadline ? `still ${s.State.Health?.Status ?? 'without a healthcheck'} after ${timeoutMs} ms` : null;
      if (why) {
        const logs = await this.engine.docker(['logs', '--tail', '30', this.container(service)]).catch(() => '');
        throw new Error(`${this.container(service)} ${why}: ${JSON.stringify(s.State.Health?.Log?.slice(-2))}\n${logs}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The parts of `docker inspect` the tests read. */
export interface ContainerState {
  Id: string;
  Name: string;
  State: { Running: boolean; ExitCode: number; Pid: number; Health?: { Status: string; Log?: Array<{ ExitCode: number; Output: string }> } };
  Config: { Image: string; Cmd?: string[] | null; Env?: string[] | null; Healthcheck?: { Test: string[]; Interval?: number } };
  HostConfig: { PidMode: string; NetworkMode: string; CapAdd: string[] | null; CapDrop: string[] | null; ReadonlyRootfs: boolean; SecurityOpt: string[] | null; Privileged: boolean; Tmpfs?: Record<string, string> | null };
  Mounts: Array<{ Type: string; Source: string; Destination: string; RW: boolean; Propagation: string }>;
  NetworkSettings: { SandboxKey: string; Networks: Record<string, { NetworkID: string }> };
}
