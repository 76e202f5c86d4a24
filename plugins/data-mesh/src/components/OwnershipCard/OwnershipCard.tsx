import { Fragment, ReactNode } from 'react';
import {
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CatalogApi,
  catalogApiRef,
  EntityRefLink,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_DATAZONE_LISTING_REVISION,
  ANNOTATION_DATAZONE_PORTAL_URL,
  isDataProductEntity,
  isDatasetEntity,
  OdcsDataContract,
  OdcsTeamMember,
  parseDataContract,
} from '@data-mesh-portal/plugin-data-mesh-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';

/** What the card shows, gathered from the catalog and the contract. */
export interface OwnershipData {
  ownerRef?: string;
  members: string[];
  domainRef?: string;
  lifecycle?: string;
  contract?: OdcsDataContract;
  /** Contract team member username (email or name) → catalog user ref, when one matches. */
  userRefs: Record<string, string>;
}

function relationTargets(
  entity: Entity | undefined,
  type: string,
  kind?: string,
): string[] {
  return (entity?.relations ?? [])
    .filter(
      r =>
        r.type === type &&
        (!kind || parseEntityRef(r.targetRef).kind.toLowerCase() === kind),
    )
    .map(r => r.targetRef);
}

function contractOf(entity: Entity | undefined): OdcsDataContract | undefined {
  const definition = entity?.spec?.definition;
  if (typeof definition !== 'string') return undefined;
  const parsed = parseDataContract(definition);
  return parsed.valid ? parsed.contract : undefined;
}

function teamMembers(contract: OdcsDataContract | undefined): OdcsTeamMember[] {
  const team = contract?.team;
  if (!team) return [];
  const members = Array.isArray(team) ? team : team.members ?? [];
  return members.filter(m => m && typeof m.username === 'string' && !m.dateOut);
}

/** Reads owner, members, domain and the contract of a data product or dataset. */
export async function loadOwnership(
  entity: Entity,
  catalogApi: CatalogApi,
): Promise<OwnershipData> {
  const ownerRef =
    relationTargets(entity, RELATION_OWNED_BY)[0] ??
    (typeof entity.spec?.owner === 'string'
      ? stringifyEntityRef(
          parseEntityRef(entity.spec.owner, {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace,
          }),
        )
      : undefined);

  let system: Entity | undefined = isDataProductEntity(entity)
    ? entity
    : undefined;
  if (!system && isDatasetEntity(entity)) {
    const systemRef = relationTargets(entity, RELATION_PART_OF, 'system')[0];
    system = systemRef ? await catalogApi.getEntityByRef(systemRef) : undefined;
  }

  let contract = isDatasetEntity(entity) ? contractOf(entity) : undefined;
  let lifecycle =
    typeof entity.spec?.lifecycle === 'string'
      ? entity.spec.lifecycle
      : undefined;
  if (isDataProductEntity(entity)) {
    // A product's contract reaches its page through its dataset APIs.
    const parts = relationTargets(entity, RELATION_HAS_PART, 'api');
    if (parts.length > 0) {
      const { items } = await catalogApi.getEntitiesByRefs({
        entityRefs: parts,
      });
      const datasets = items.filter(
        (e): e is Entity => !!e && isDatasetEntity(e),
      );
      contract = datasets.map(contractOf).find(c => !!c);
      lifecycle =
        lifecycle ??
        datasets
          .map(d => d.spec?.lifecycle)
          .find((l): l is string => typeof l === 'string');
    }
  }

  const [owner, users] = await Promise.all([
    ownerRef ? catalogApi.getEntityByRef(ownerRef) : Promise.resolve(undefined),
    (async () => {
      const emails = teamMembers(contract)
        .map(m => m.username)
        .filter(u => u.includes('@'));
      if (emails.length === 0) return [];
      const { items } = await catalogApi.getEntities({
        filter: { kind: 'User', 'spec.profile.email': emails },
      });
      return items;
    })(),
  ]);
  const userRefs: Record<string, string> = {};
  for (const user of users) {
    const email = (user.spec?.profile as { email?: string } | undefined)?.email;
    if (email) userRefs[email.toLowerCase()] = stringifyEntityRef(user);
  }

  const domain = system?.spec?.domain;
  return {
    ownerRef,
    members: relationTargets(owner, RELATION_HAS_MEMBER),
    domainRef:
      typeof domain === 'string'
        ? stringifyEntityRef(
            parseEntityRef(domain, {
              defaultKind: 'domain',
              defaultNamespace: system?.metadata.namespace,
            }),
          )
        : undefined,
    lifecycle: lifecycle ?? contract?.status,
    contract,
    userRefs,
  };
}

function Row(props: { label: string; children: ReactNode }) {
  return (
    <Box display="flex" mb={1}>
      <Box width={150} flexShrink={0}>
        <Typography variant="subtitle2">{props.label}</Typography>
      </Box>
      <Box>{props.children}</Box>
    </Box>
  );
}

function Person(props: {
  member: OdcsTeamMember;
  userRefs: Record<string, string>;
}) {
  const { member, userRefs } = props;
  const ref = userRefs[member.username.toLowerCase()];
  const label = member.name ?? member.username;
  return ref ? (
    <EntityRefLink entityRef={ref} title={label} />
  ) : (
    <span>{label}</span>
  );
}

/** The card's body, without fetching. */
export function OwnershipView(props: { entity: Entity; data: OwnershipData }) {
  const { entity, data } = props;
  const annotations = entity.metadata.annotations ?? {};
  const portalUrl = annotations[ANNOTATION_DATAZONE_PORTAL_URL];
  const members = teamMembers(data.contract);
  const byRole = (pattern: RegExp) =>
    members.filter(m => pattern.test(m.role ?? ''));
  const owners = byRole(/owner/i);
  const stewards = byRole(/steward/i);
  const approverRoles = (data.contract?.roles ?? []).filter(
    r => r.firstLevelApprovers,
  );
  const support = data.contract?.support ?? [];
  return (
    <Box>
      <Row label="Owning team">
        {data.ownerRef ? (
          <EntityRefLink entityRef={data.ownerRef} defaultKind="group" />
        ) : (
          '—'
        )}
      </Row>
      <Row label="Members">
        {data.members.length > 0
          ? data.members.map((ref, i) => (
              <Fragment key={ref}>
                {i > 0 ? ', ' : null}
                <EntityRefLink entityRef={ref} defaultKind="user" />
              </Fragment>
            ))
          : 'No members in the catalog'}
      </Row>
      <Row label="Domain">
        {data.domainRef ? (
          <EntityRefLink entityRef={data.domainRef} defaultKind="domain" />
        ) : (
          '—'
        )}
      </Row>
      <Row label="Product owner">
        {owners.length > 0
          ? owners.map((m, i) => (
              <Fragment key={m.username}>
                {i > 0 ? ', ' : null}
                <Person member={m} userRefs={data.userRefs} />
              </Fragment>
            ))
          : '—'}
      </Row>
      <Row label="Data steward">
        {stewards.length > 0
          ? stewards.map((m, i) => (
              <Fragment key={m.username}>
                {i > 0 ? ', ' : null}
                <Person member={m} userRefs={data.userRefs} />
              </Fragment>
            ))
          : '—'}
      </Row>
      {approverRoles.length > 0 ? (
        <Row label="Access approvers">
          {approverRoles.map(role => (
            <Box key={role.role}>
              <Typography variant="body2" component="span">
                {role.role} ({role.access ?? 'read'}):{' '}
              </Typography>
              {/^[a-z]+:/i.test(role.firstLevelApprovers!) ? (
                <EntityRefLink
                  entityRef={role.firstLevelApprovers!}
                  defaultKind="group"
                />
              ) : (
                role.firstLevelApprovers
              )}
            </Box>
          ))}
        </Row>
      ) : null}
      <Row label="Support">
        {support.length > 0
          ? support.map(channel => (
              <Box key={`${channel.tool}:${channel.channel}`}>
                <Typography variant="body2" component="span">
                  {channel.url ? (
                    <Link to={channel.url}>{channel.channel}</Link>
                  ) : (
                    channel.channel
                  )}
                  {channel.tool
                    ? ` (${channel.tool}${
                        channel.scope ? `, ${channel.scope}` : ''
                      })`
                    : ''}
                </Typography>
              </Box>
            ))
          : 'No support channel in the data contract'}
      </Row>
      <Row label="Lifecycle">{data.lifecycle ?? '—'}</Row>
      <Row label="Last published">
        {annotations[ANNOTATION_DATAZONE_LISTING_REVISION]
          ? `Listing revision ${annotations[ANNOTATION_DATAZONE_LISTING_REVISION]}`
          : 'Not published'}
      </Row>
      <Row label="DataZone">
        {portalUrl ? (
          <Link to={portalUrl}>Open in the DataZone portal</Link>
        ) : (
          '—'
        )}
      </Row>
    </Box>
  );
}

/**
 * Who owns a data product or dataset: the owning team and its members,
 * domain, product owner and steward roles, support channels from the data
 * contract, lifecycle, last publication and the DataZone portal link.
 *
 * @public
 */
export function OwnershipCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(
    () => loadOwnership(entity, catalogApi),
    [entity, catalogApi],
  );
  return (
    <InfoCard title="Ownership">
      {loading ? <Progress /> : null}
      {error ? (
        <ResponseErrorPanel
          error={error}
          title="Could not load the ownership"
        />
      ) : null}
      {value ? <OwnershipView entity={entity} data={value} /> : null}
    </InfoCard>
  );
}
