// The one fork rule for pull requests, shared by event routing and the PR lookups (no imports: routing stays light).

/**
 * A pull request's head is a fork when its repository is missing (a deleted fork) or is not the base repository.
 * GitHub repository names compare case-insensitively.
 */
export function headIsFork(headRepoFullName: string | null | undefined, baseRepoFullName: string | null | undefined): boolean {
  if (!headRepoFullName || !baseRepoFullName) return true;
  return headRepoFullName.toLowerCase() !== baseRepoFullName.toLowerCase();
}
