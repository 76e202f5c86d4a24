import { Entity } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ANNOTATION_DATAZONE_LISTING_REVISION,
  ANNOTATION_DATAZONE_PORTAL_URL,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { screen } from '@testing-library/react';
import { OwnershipCard } from './OwnershipCard';

const contract = JSON.stringify({
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'c1',
  version: '1.0.0',
  status: 'active',
  schema: [{ name: 'orders' }],
  team: {
    name: 'sales-domain',
    members: [
      { username: 'alice@retail.example', name: 'Alice Moreau', role: 'owner' },
      {
        username: 'erin@retail.example',
        name: 'Erin Steward',
        role: 'data steward',
      },
    ],
  },
  support: [
    {
      channel: 'sales-domain',
      tool: 'email',
      url: 'mailto:sales-domain@retail.example',
      scope: 'issues',
    },
    { channel: '#sales-domain', tool: 'slack', scope: 'interactive' },
  ],
  roles: [
    {
      role: 'orders_read',
      access: 'read',
      firstLevelApprovers: 'group:default/sales-stewards',
    },
  ],
});

const product: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'order-history',
    namespace: 'default',
    annotations: {
      [ANNOTATION_DATAZONE_PORTAL_URL]:
        'https://dzd_1.datazone.us-east-1.on.aws/product/1',
      [ANNOTATION_DATAZONE_LISTING_REVISION]: '3',
    },
  },
  spec: {
    type: 'data-product',
    owner: 'group:default/sales-domain',
    domain: 'sales',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/sales-domain' },
    { type: 'hasPart', targetRef: 'api:default/orders' },
  ],
};

const entities: Entity[] = [
  product,
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'orders', namespace: 'default' },
    spec: {
      type: 'dataset',
      lifecycle: 'production',
      owner: 'group:default/sales-domain',
      system: 'order-history',
      definition: contract,
    },
    relations: [{ type: 'partOf', targetRef: 'system:default/order-history' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'sales-domain', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [
      { type: 'hasMember', targetRef: 'user:default/alice' },
      { type: 'hasMember', targetRef: 'user:default/frank' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: {
      profile: { email: 'alice@retail.example', displayName: 'Alice Moreau' },
    },
  },
];

async function renderCard(entity: Entity) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApiMock({ entities })]]}>
      <EntityProvider entity={entity}>
        <OwnershipCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('OwnershipCard', () => {
  it('shows team, members, domain, roles, support, lifecycle, publication and the DataZone link of a product', async () => {
    await renderCard(product);
    expect(await screen.findByText('Owning team')).toBeInTheDocument();
    const hrefs = screen
      .getAllByRole('link')
      .map(link => link.getAttribute('href'));
    expect(hrefs).toContain('/catalog/default/group/sales-domain');
    expect(hrefs).toContain('mailto:sales-domain@retail.example');
    expect(screen.getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    expect(screen.getByRole('link', { name: 'frank' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'sales' })).toHaveAttribute(
      'href',
      '/catalog/default/domain/sales',
    );
    // The contract's owner is a catalog user (matched by email) and linked; the steward is not.
    expect(screen.getByRole('link', { name: 'Alice Moreau' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    expect(screen.getByText('Erin Steward')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'sales-stewards' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/#sales-domain \(slack, interactive\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('production')).toBeInTheDocument();
    expect(screen.getByText('Listing revision 3')).toBeInTheDocument();
    expect(
      screen.getByText('Open in the DataZone portal').closest('a'),
    ).toHaveAttribute(
      'href',
      'https://dzd_1.datazone.us-east-1.on.aws/product/1',
    );
  });

  it('says what is missing for an entity without contract or publication', async () => {
    await renderCard({
      ...product,
      metadata: { name: 'bare', namespace: 'default' },
      relations: [],
    });
    expect(
      await screen.findByText('No support channel in the data contract'),
    ).toBeInTheDocument();
    expect(screen.getByText('Not published')).toBeInTheDocument();
  });
});
