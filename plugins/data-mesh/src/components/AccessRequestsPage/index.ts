export {
  AccessRequestsContent,
  AccessRequestsPage,
} from './AccessRequestsPage';
