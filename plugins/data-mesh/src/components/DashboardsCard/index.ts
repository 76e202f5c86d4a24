export { DashboardsCard } from './DashboardsCard';
export {
  DashboardEmbedDialog,
  isNoQuickSightUser,
} from './DashboardEmbedDialog';
export type { DashboardToOpen } from './DashboardEmbedDialog';
