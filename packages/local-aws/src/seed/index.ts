import {
  CreateAssetCommand,
  CreateAssetRevisionCommand,
  CreateDataProductCommand,
  CreateDomainCommand,
  CreateDomainUnitCommand,
  CreateEnvironmentCommand,
  CreateFormTypeCommand,
  CreateListingChangeSetCommand,
  CreateProjectCommand,
  CreateProjectMembershipCommand,
  CreateUserProfileCommand,
  GetAssetCommand,
} from '@aws-sdk/client-datazone';
import {
  LOCAL_AWS_ACCOUNTS,
  PRODUCER_ROLE_ARN,
  PRODUCER_ROLE_NAME,
} from '../accounts';
import { GLUE_TABLE_ASSET_TYPE } from '../datazone/handlers/managedTypes';
import {
  accountClients,
  assumeRole,
  dataZoneClient,
  destroyAll,
  type AccountClients,
} from './clients';
import { buildContract } from './contracts';
import {
  DEMO_DOMAIN_NAME,
  DEMO_DOMAIN_UNITS,
  DEMO_PEOPLE,
  DEMO_PROJECTS,
  demoProducts,
  type DemoProject,
  type PersonKey,
  type ProductState,
  type ProjectKey,
} from './demo';
import {
  DATA_CONTRACT_FORM_TYPE_NAME,
  DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL,
  dataContractFormContent,
} from './formTypes';
import {
  createGlueDatabase,
  createGlueTable,
  createRole,
  createSecureBucket,
} from './storage';
import { seedWorkflows, type DemoWorkflows } from './workflows';

export interface DemoMesh {
  domainId: string;
  domainName: string;
  rootDomainUnitId: string;
  domainUnits: Record<string, string>;
  people: Record<
    PersonKey,
    { email: string; userProfileId: string; group: string }
  >;
  projects: Record<
    ProjectKey,
    {
      id: string;
      name: string;
      group: string;
      environmentId: string;
      environmentAccountId: string;
    }
  >;
  dataProducts: {
    key: string;
    name: string;
    id: string;
    project: ProjectKey;
    state: ProductState;
    listingId?: string;
    database: string;
    bucket: string;
    assets: { table: string; assetId: string; listingId?: string }[];
  }[];
  dataContractFormType: string;
  accounts: { governance: string; producer: string };
  producerRoleArn: string;
  /** Subscriptions, lineage, data-quality history and QuickSight of the demo (issue 4). */
  workflows: DemoWorkflows;
}

/**
 * Seeds the demo mesh through the real SDK clients against the running local endpoint,
 * so seeding exercises the router, moto and the DataZone stand-in exactly as the suite
 * will. Storage (buckets, Glue databases and tables) goes to the producer account through
 * STS AssumeRole; the DataZone domain lives in the central governance account.
 */
export async function seedDemoMesh(options: {
  endpoint: string;
  region: string;
}): Promise<DemoMesh> {
  const { endpoint, region } = options;
  const dz = dataZoneClient(endpoint, region);
  const governance = accountClients(endpoint, region);
  const producerCredentials = await assumeRole(
    endpoint,
    region,
    PRODUCER_ROLE_ARN,
    'local-aws-seed',
  );
  const producer = accountClients(endpoint, region, producerCredentials);
  const clientsFor = (account: 'producer' | 'governance'): AccountClients =>
    account === 'producer' ? producer : governance;
  try {
    // The cross-account role the portal assumes, in the producer account.
    await createRole(
      producer,
      PRODUCER_ROLE_NAME,
      `arn:aws:iam::${LOCAL_AWS_ACCOUNTS.governance}:root`,
      'Data Mesh Portal access to producer data.',
    );

    const domain = await dz.send(
      new CreateDomainCommand({
        name: DEMO_DOMAIN_NAME,
        description:
          'The demo retail company: sales, supply chain, marketing and customer domains.',
        domainExecutionRole: `arn:aws:iam::${LOCAL_AWS_ACCOUNTS.governance}:role/service-role/AmazonDataZoneDomainExecution`,
        tags: { 'data-mesh-portal.io/demo': 'true' },
        clientToken: 'dmp-demo-domain',
      }),
    );
    const domainId = domain.id!;
    const rootDomainUnitId = domain.rootDomainUnitId!;

    const people = {} as DemoMesh['people'];
    for (const [key, person] of Object.entries(DEMO_PEOPLE) as [
      PersonKey,
      (typeof DEMO_PEOPLE)[PersonKey],
    ][]) {
      const profile = await dz.send(
        new CreateUserProfileCommand({
          domainIdentifier: domainId,
          userIdentifier: person.email,
          userType: 'SSO_USER',
        }),
      );
      people[key] = {
        email: person.email,
        userProfileId: profile.id!,
        group: person.group,
      };
    }

    const domainUnits: Record<string, string> = { root: rootDomainUnitId };
    for (const [key, unit] of Object.entries(DEMO_DOMAIN_UNITS)) {
      const created = await dz.send(
        new CreateDomainUnitCommand({
          domainIdentifier: domainId,
          name: unit.name,
          description: unit.description,
          parentDomainUnitIdentifier: rootDomainUnitId,
        }),
      );
      domainUnits[key] = created.id!;
    }

    const projects = {} as DemoMesh['projects'];
    for (const [key, project] of Object.entries(DEMO_PROJECTS) as [
      ProjectKey,
      (typeof DEMO_PROJECTS)[ProjectKey],
    ][]) {
      const created = await dz.send(
        new CreateProjectCommand({
          domainIdentifier: domainId,
          name: project.name,
          description: project.description,
          domainUnitId: domainUnits[project.unit],
          resourceTags: { 'backstage-group': `group:default/${project.group}` },
          membershipAssignments: [
            {
              member: { userIdentifier: people[project.owner].userProfileId },
              designation: 'PROJECT_OWNER',
            },
          ],
        }),
      );
      const accountId = LOCAL_AWS_ACCOUNTS[project.account];
      const env = await dz.send(
        new CreateEnvironmentCommand({
          domainIdentifier: domainId,
          projectIdentifier: created.id!,
          name: `${project.name} data lake`,
          description: `Data lake environment of ${project.name}.`,
          environmentAccountIdentifier: accountId,
          environmentAccountRegion: region,
        }),
      );
      // What the DefaultDataLake blueprint would provision: the user role and Glue databases.
      const clients = clientsFor(project.account);
      for (const resource of env.provisionedResources ?? []) {
        if (resource.type === 'GlueDatabase') {
          await createGlueDatabase(
            clients,
            resource.value!,
            `${resource.name} of ${env.name}`,
          );
        } else if (resource.type === 'IAMRole') {
          await createRole(
            clients,
            resource.value!.split('/').pop()!,
            `arn:aws:iam::${LOCAL_AWS_ACCOUNTS.governance}:root`,
            `User role of ${env.name}.`,
          );
        }
      }
      projects[key] = {
        id: created.id!,
        name: project.name,
        group: project.group,
        environmentId: env.id!,
        environmentAccountId: accountId,
      };
    }
    // The platform admin stewards every producer catalogue.
    for (const key of ['sales', 'customer', 'supplyChain'] as const) {
      await dz.send(
        new CreateProjectMembershipCommand({
          domainIdentifier: domainId,
          projectIdentifier: projects[key].id,
          member: { userIdentifier: people.carol.userProfileId },
          designation: 'PROJECT_CATALOG_STEWARD',
        }),
      );
    }

    const formType = await dz.send(
      new CreateFormTypeCommand({
        domainIdentifier: domainId,
        name: DATA_CONTRACT_FORM_TYPE_NAME,
        description:
          'The data contract (ODCS v3 YAML) of a data product, written by the Data Mesh Portal.',
        owningProjectIdentifier: projects.platform.id,
        model: { smithy: DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL },
        status: 'ENABLED',
      }),
    );

    const buckets = new Set<string>();
    const dataProducts: DemoMesh['dataProducts'] = [];
    for (const product of demoProducts()) {
      const project: DemoProject = DEMO_PROJECTS[product.project];
      const bucket = `${project.bucket ?? 'retail-data-products'}-${
        LOCAL_AWS_ACCOUNTS.producer
      }`;
      if (!buckets.has(bucket)) {
        await createSecureBucket(producer, bucket, {
          owner: `group:default/${project.group}`,
          domain:
            DEMO_DOMAIN_UNITS[project.unit as keyof typeof DEMO_DOMAIN_UNITS]
              ?.name ?? 'Root',
          'data-mesh-portal.io/demo': 'true',
        });
        buckets.add(bucket);
      }
      const location = `s3://${bucket}/${product.database}/`;
      await createGlueDatabase(
        producer,
        product.database,
        product.description,
        location,
      );
      const assets: DemoMesh['dataProducts'][number]['assets'] = [];
      for (const table of product.tables) {
        const tableLocation = `${location}${table.name}/`;
        await createGlueTable(producer, product.database, table, tableLocation);
        const tableArn = `arn:aws:glue:${region}:${LOCAL_AWS_ACCOUNTS.producer}:table/${product.database}/${table.name}`;
        const asset = await dz.send(
          new CreateAssetCommand({
            domainIdentifier: domainId,
            owningProjectIdentifier: projects[product.project].id,
            name: table.name,
            description: table.description,
            typeIdentifier: GLUE_TABLE_ASSET_TYPE,
            externalIdentifier: tableArn,
            formsInput: [
              {
                formName: 'GlueTableForm',
                content: JSON.stringify({
                  catalogId: LOCAL_AWS_ACCOUNTS.producer,
                  region,
                  tableArn,
                  tableName: table.name,
                  tableDescription: table.description,
                  sourceClassification: 'parquet',
                  columns: table.columns.map(c => ({
                    columnName: c.name,
                    dataType: c.type,
                  })),
                }),
              },
              {
                formName: 'AssetCommonDetailsForm',
                content: JSON.stringify({
                  customProperties: {
                    databaseName: product.database,
                    source: table.source,
                    location: tableLocation,
                  },
                }),
              },
            ],
            clientToken: `dmp-demo-asset-${product.database}-${table.name}`,
          }),
        );
        assets.push({ table: table.name, assetId: asset.id! });
      }
      // A second revision on the first asset of the first product, so revisions exist in the demo.
      if (dataProducts.length === 0) {
        await dz.send(
          new CreateAssetRevisionCommand({
            domainIdentifier: domainId,
            identifier: assets[0].assetId,
            name: product.tables[0].name,
            description: `${product.tables[0].description} Now with the order priority documented.`,
          }),
        );
      }
      const { yaml } = buildContract(product, {
        account: LOCAL_AWS_ACCOUNTS.producer,
        region,
        bucket,
      });
      const created = await dz.send(
        new CreateDataProductCommand({
          domainIdentifier: domainId,
          owningProjectIdentifier: projects[product.project].id,
          name: product.name,
          description: product.description,
          items: assets.map(a => ({
            itemType: 'ASSET',
            identifier: a.assetId,
          })),
          formsInput: [
            {
              formName: DATA_CONTRACT_FORM_TYPE_NAME,
              typeIdentifier: DATA_CONTRACT_FORM_TYPE_NAME,
              typeRevision: formType.revision,
              content: dataContractFormContent(yaml),
            },
          ],
          clientToken: `dmp-demo-product-${product.key}`,
        }),
      );
      let listingId: string | undefined;
      if (product.state !== 'unpublished') {
        const published = await dz.send(
          new CreateListingChangeSetCommand({
            domainIdentifier: domainId,
            entityIdentifier: created.id!,
            entityType: 'DATA_PRODUCT',
            action: 'PUBLISH',
          }),
        );
        listingId = published.listingId;
        if (product.state === 'deprecated') {
          // Retired from the catalog: the product and its tables leave the listings.
          const retired = [
            { id: created.id!, type: 'DATA_PRODUCT' as const },
            ...assets.map(a => ({ id: a.assetId, type: 'ASSET' as const })),
          ];
          for (const entity of retired) {
            await dz.send(
              new CreateListingChangeSetCommand({
                domainIdentifier: domainId,
                entityIdentifier: entity.id,
                entityType: entity.type,
                action: 'UNPUBLISH',
              }),
            );
          }
        }
      }
      dataProducts.push({
        key: product.key,
        name: product.name,
        id: created.id!,
        project: product.project,
        state: product.state,
        listingId,
        database: product.database,
        bucket,
        assets,
      });
    }
    // Asset listing ids, now that publishing has created them.
    for (const product of dataProducts) {
      for (const asset of product.assets) {
        const got = await dz.send(
          new GetAssetCommand({
            domainIdentifier: domainId,
            identifier: asset.assetId,
          }),
        );
        asset.listingId = got.listing?.listingId;
      }
    }

    const workflows = await seedWorkflows({
      endpoint,
      region,
      dz,
      domainId,
      projects,
      products: dataProducts,
    });

    return {
      domainId,
      domainName: DEMO_DOMAIN_NAME,
      rootDomainUnitId,
      domainUnits,
      people,
      projects,
      dataProducts,
      dataContractFormType: DATA_CONTRACT_FORM_TYPE_NAME,
      accounts: { ...LOCAL_AWS_ACCOUNTS },
      producerRoleArn: PRODUCER_ROLE_ARN,
      workflows,
    };
  } finally {
    dz.destroy();
    destroyAll(governance);
    destroyAll(producer);
  }
}
