import { addon } from './native.js';
import type { Watch } from './rtnl.js';

/**
 * Calls `onChange` after each change of this process's mount table. A namespace is named
 * by a bind mount (`ip netns add`, `ip netns attach`, Docker's sandboxes) and unnamed by an
 * unmount, and a mount raises no inotify event on the folder: without this, only a periodic
 * stat of every named entry would see one (8 ms at 1000 namespaces, every 30 s: most of an
 * idle server's work). Throws when the mount table cannot be watched; the caller keeps
 * the periodic look then.
 */
export function watchMounts(onChange: () => void): Watch {
  const a = addon();
  const handle = a.watchMounts(onChange);
  let open = true;
  return {
    close() {
      if (open) a.unwatch(handle);
      open = false;
    },
  };
}
