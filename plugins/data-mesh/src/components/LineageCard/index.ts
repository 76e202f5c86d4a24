export { LineageCard, LineageContent, LineageView } from './LineageCard';
export type { LineageViewProps } from './LineageCard';
export { LineageGraphView } from './LineageGraphView';
export type { LineageGraphViewProps } from './LineageGraphView';
