// Why a flow stopped, as a typed value code branches on; the sentence a person reads is derived from it, never parsed back.

export type StopReason =
  { kind: 'budget'; resource: 'episodes' | 'tokens' | 'usd'; used: number; limit: number; during?: string } | { kind: 'no-weakness' } | { kind: 'nothing-new' };

export const isBudgetStop = (stop: StopReason | undefined): boolean => stop?.kind === 'budget';

export function describeStop(stop: StopReason): string {
  switch (stop.kind) {
    case 'budget': {
      const figure = stop.resource === 'usd' ? `$${stop.used.toFixed(2)}/$${stop.limit}` : `${stop.used}/${stop.limit}`;
      const name = stop.resource === 'episodes' ? 'episode' : stop.resource === 'tokens' ? 'token' : 'money';
      return `${name} budget exhausted (${figure})${stop.during ? ` ${stop.during}` : ''}`;
    }
    case 'no-weakness':
      return 'no harness-fixable weakness left in the train split';
    case 'nothing-new':
      return 'no new candidate: every proposal was already judged on this harness';
  }
}
