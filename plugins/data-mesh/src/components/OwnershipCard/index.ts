export { OwnershipCard, OwnershipView, loadOwnership } from './OwnershipCard';
export type { OwnershipData } from './OwnershipCard';
