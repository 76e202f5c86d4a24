/**
 * Amazon DataZone entity provider for the Backstage catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleDataZone as default } from './module';
