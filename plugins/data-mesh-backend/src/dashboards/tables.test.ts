import { dataSetIdOfArn, glueTablesOfDataSet, userNameOfArn } from './tables';

describe('QuickSight data set tables', () => {
  it('reads relational tables and the tables custom SQL names', () => {
    expect(
      glueTablesOfDataSet({
        a: {
          RelationalTable: {
            DataSourceArn: 'x',
            Catalog: 'AwsDataCatalog',
            Schema: 'sales',
            Name: 'orders',
            InputColumns: [],
          },
        },
        b: {
          RelationalTable: {
            DataSourceArn: 'x',
            Name: 'no_schema',
            InputColumns: [],
          },
        },
        c: {
          CustomSql: {
            DataSourceArn: 'x',
            Name: 'q',
            SqlQuery:
              'select * from `sales`.`lineitem` join "AwsDataCatalog"."crm"."customer" c on true left join plain_table',
            Columns: [],
          },
        },
        d: { S3Source: { DataSourceArn: 'x', InputColumns: [] } },
      }),
    ).toEqual([
      { database: 'sales', table: 'orders' },
      { database: 'sales', table: 'lineitem' },
      { database: 'crm', table: 'customer' },
    ]);
    expect(glueTablesOfDataSet(undefined)).toEqual([]);
  });

  it('reads ids out of ARNs', () => {
    expect(
      dataSetIdOfArn('arn:aws:quicksight:us-east-1:111122223333:dataset/abc-1'),
    ).toBe('abc-1');
    expect(
      dataSetIdOfArn(
        'arn:aws:quicksight:us-east-1:111122223333:dashboard/abc-1',
      ),
    ).toBeUndefined();
    expect(
      userNameOfArn(
        'arn:aws:quicksight:us-east-1:111122223333:user/default/role/alice',
      ),
    ).toBe('role/alice');
  });
});
