// The errors every layer may throw: a UserError is one a user can act on (the CLI exits 2, the action fails the step with it).

/** A user-facing error: the message says what was wrong, where, and what to do. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
