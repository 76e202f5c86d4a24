export { AccessRequestStatusChip } from './AccessRequestStatusChip';
export { AccessRequestSummary } from './AccessRequestSummary';
export { DecisionDialog } from './DecisionDialog';
export type { AccessDecision } from './DecisionDialog';
export { RequestActions, reviewerDecisions } from './RequestActions';
export * from './hooks';
export * from './format';
