import {
  DATA_CONTRACT_FORM_TYPE_NAME,
  DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL,
  dataContractFormContent,
  readDataContractFormContent,
} from './dataContractForm';

describe('data contract form', () => {
  it('uses the form type name the local AWS seed and scaffolder share', () => {
    expect(DATA_CONTRACT_FORM_TYPE_NAME).toBe('DataMeshPortalDataContract');
    expect(DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL).toContain(
      'structure DataMeshPortalDataContract {',
    );
  });

  it('round-trips contract text through DataZone form content', () => {
    const yaml = 'kind: DataContract\nid: "x"\n# “quotes” and ünïcode\n';
    const content = dataContractFormContent(yaml);
    expect(JSON.parse(content)).toEqual({ contract: yaml });
    expect(readDataContractFormContent(content)).toBe(yaml);
  });

  it('treats missing, empty or malformed content as no contract', () => {
    for (const content of [
      undefined,
      '',
      '{',
      'null',
      '[]',
      '{"contract":42}',
      '{"contract":"  "}',
      '{"other":"x"}',
    ]) {
      expect(readDataContractFormContent(content)).toBeUndefined();
    }
  });
});
