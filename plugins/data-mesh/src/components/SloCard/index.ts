export {
  SloCard,
  SloReportView,
  SloStatusChip,
  SloHistorySparkline,
} from './SloCard';
