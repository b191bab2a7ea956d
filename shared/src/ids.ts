/**
 * The ids of the wire model, in their own module without zod: a command that only reads
 * the kernel (`vethmap peer`, `snapshot`) imports these and not the schemas (the CLI
 * bundle drops unused modules of this side-effect-free package).
 */

/** `ns:<inode>`: the nsfs inode names a namespace for its lifetime. */
export function namespaceId(inode: number): string {
  return `ns:${inode}`;
}

/** `nif:<namespace inode>:<ifindex>`: ifindex alone is only unique inside one namespace. */
export function interfaceId(namespaceInode: number, ifindex: number): string {
  return `nif:${namespaceInode}:${ifindex}`;
}
