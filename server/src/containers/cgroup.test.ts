import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { containerIdFromCgroup } from './cgroup.js';

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/docker/${name}`, import.meta.url), 'utf8');

describe('containerIdFromCgroup', () => {
  it.each([
    ['cgroup-v2-docker-systemd.txt', '3f4e8c2a9b1d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f'],
    ['cgroup-v1-docker-cgroupfs.txt', '8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b'],
    ['cgroup-v2-containerd-k8s.txt', 'd4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3'],
    ['cgroup-v1-kubepods-cgroupfs.txt', 'e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6'],
    ['cgroup-v2-crio.txt', '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    ['cgroup-v2-podman.txt', '9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0'],
  ])('finds the container id in %s', (file, id) => {
    expect(containerIdFromCgroup(fixture(file))).toBe(id);
  });

  it.each(['cgroup-v2-podman-conmon.txt', 'cgroup-v2-host-session.txt', 'cgroup-v2-host-dockerd.txt'])('finds none for a host process (%s)', (file) => {
    expect(containerIdFromCgroup(fixture(file))).toBeNull();
  });

  it('ignores ids that are not a whole path element or not 64 hex', () => {
    expect(containerIdFromCgroup('0::/docker/3f4e8c2a9b1d\n')).toBeNull();
    expect(containerIdFromCgroup(`0::/docker/${'a'.repeat(64)}x\n`)).toBeNull();
    expect(containerIdFromCgroup(`0::/system.slice/docker-${'A'.repeat(64)}.scope\n`)).toBeNull();
    expect(containerIdFromCgroup('')).toBeNull();
  });
});
