import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SidebarContent } from './Sidebar';
import { RootRedirect } from './RootRedirect';

export const navModule = createFrontendModule({
  pluginId: 'app',
  extensions: [SidebarContent, RootRedirect],
});
