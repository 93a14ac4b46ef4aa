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

function groupExists(leader: number): boolean {
  try {
    process.kill(-leader, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while any process of the group, or any of the `known` pids, is still running (zombies do not count). */
function anyAlive(leader: number, known: Set<number>): boolean {
  const table = processTable();
  if (!table) return groupExists(leader);
  return table.some((entry) => !entry.zombie && (entry.pgid === leader || known.has(entry.pid)));
}

/** True while a process of the group led by `leader` still runs (cheap when the group is gone). */
export function treeAlive(leader: number): boolean {
  if (!groupExists(leader)) return false;
  return anyAlive(leader, new Set());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(leader: number, known: Set<number>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!anyAlive(leader, known)) return true;
    await sleep(25);
  }
  return !anyAlive(leader, known);
}

function signalAll(leader: number, known: Set<number>, name: NodeJS.Signals): void {
  signal(-leader, name);
  for (const pid of known) signal(pid, name);
}

/**
 * SIGTERM to the tree, SIGKILL to whatever is left after `graceMs`. The tree is the process group plus
 * every descendant seen at either signal, so a child that left the group (setsid) and outlived its
 * parent is still ended. Resolves when all are gone (or, if something unkillable remains, 2 s later).
 */
export async function killTree(leader: number, graceMs: number): Promise<void> {
  const known = new Set(treeMembers(leader) ?? []);
  if (known.size === 0 && !groupExists(leader)) return;
  signalAll(leader, known, 'SIGTERM');
  if (await waitGone(leader, known, graceMs)) return;
  for (const pid of treeMembers(leader) ?? []) known.add(pid);
  signalAll(leader, known, 'SIGKILL');
  await waitGone(leader, known, 2_000);
}
