import { MotoJournal } from './motoJournal';

describe('MotoJournal.isMutation', () => {
  const json = (target: string) => ({ 'x-amz-target': target });
  it('records writes and skips reads, per protocol', () => {
    expect(
      MotoJournal.isMutation('glue', 'POST', '/', json('AWSGlue.CreateTable')),
    ).toBe(true);
    expect(
      MotoJournal.isMutation('glue', 'POST', '/', json('AWSGlue.GetTables')),
    ).toBe(false);
    expect(
      MotoJournal.isMutation('lakeformation', 'POST', '/GrantPermissions', {}),
    ).toBe(true);
    expect(
      MotoJournal.isMutation('lakeformation', 'POST', '/ListPermissions', {}),
    ).toBe(false);
    expect(MotoJournal.isMutation('s3', 'PUT', '/bucket/key', {})).toBe(true);
    expect(MotoJournal.isMutation('s3', 'GET', '/bucket/key', {})).toBe(false);
    expect(
      MotoJournal.isMutation(
        'quicksight',
        'POST',
        '/accounts/1/search/dashboards',
        {},
      ),
    ).toBe(false);
    expect(
      MotoJournal.isMutation(
        'iam',
        'POST',
        '/',
        {},
        Buffer.from('Action=CreateRole&RoleName=x'),
      ),
    ).toBe(true);
    expect(
      MotoJournal.isMutation(
        'iam',
        'POST',
        '/',
        {},
        Buffer.from('Action=GetRole&RoleName=x'),
      ),
    ).toBe(false);
    expect(
      MotoJournal.isMutation(
        'sts',
        'POST',
        '/',
        {},
        Buffer.from('Action=AssumeRole'),
      ),
    ).toBe(false);
  });
});
