// Ends an episode's whole process tree: its process group (the command runs as a group leader) plus any
// descendant that moved to a session of its own. SIGTERM first, SIGKILL after a grace period.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  zombie: boolean;
}

/** The process table from /proc, or undefined where there is no /proc (then only the group is signalled). */
function processTable(): ProcEntry[] | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const table: ProcEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]), zombie: fields[0] === 'Z' || fields[0] === 'X' });
    } catch {
      // The process ended while we were reading; skip it.
    }
  }
  return table;
}

/** Live (non-zombie) pids in the group led by `leader` or descending from it. */
export function treeMembers(leader: number): number[] | undefined {
  const table = processTable();
  if (!table) return undefined;
  const children = new Map<number, number[]>();
  for (const entry of table) {
    const list = children.get(entry.ppid) ?? [];
    list.push(entry.pid);
    children.set(entry.ppid, list);
  }
  const members = new Set<number>(table.filter((e) => e.pgid === leader).map((e) => e.pid));
  const stack = [leader];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    members.add(pid);
    for (const child of children.get(pid) ?? []) if (!members.has(child)) stack.push(child);
  }
  const live = new Set(table.filter((e) => !e.zombie).map((e) => e.pid));
  return [...members].filter((pid) => live.has(pid));
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // Already gone (ESRCH) or not ours (EPERM): nothing more to do for this one.
  }
}

/** True while any process of the tree is still running. */
export function treeAlive(leader: number): boolean {
  const members = treeMembers(leader);
  if (members) return members.length > 0;
  try {
    process.kill(-leader, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(leader: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!treeAlive(leader)) return true;
    await sleep(25);
  }
  return !treeAlive(leader);
}

function signalTree(leader: number, name: NodeJS.Signals): void {
  const members = treeMembers(leader) ?? [];
  signal(-leader, name);
  for (const pid of members) signal(pid, name);
}

/**
 * SIGTERM to the tree, SIGKILL to whatever is left after `graceMs`. Resolves when the tree is gone
 * (or, if something unkillable remains, after a further 2 s).
 */
export async function killTree(leader: number, graceMs: number): Promise<void> {
  if (!treeAlive(leader)) return;
  signalTree(leader, 'SIGTERM');
  if (await waitGone(leader, graceMs)) return;
  signalTree(leader, 'SIGKILL');
  await waitGone(leader, 2_000);
}
