// Naming and limit rules of the AWS services, checked before any call so a
// bad name fails in the form's first step instead of half-way through.
// Each returns the problems found (empty when the value is fine).

const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

/** S3 general purpose bucket naming rules. */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push('must be 3 to 63 characters long');
  }
  if (!/^[a-z0-9.-]*$/.test(name)) {
    problems.push(
      'may contain only lowercase letters, digits, dots (.) and hyphens (-)',
    );
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push('must begin and end with a lowercase letter or a digit');
  }
  if (name.includes('..')) {
    problems.push('must not contain two adjacent dots');
  }
  if (name.includes('.')) {
    // Dots break virtual-hosted-style TLS (the certificate covers one label).
    problems.push(
      'must not contain dots (they break HTTPS access to the bucket)',
    );
  }
  if (IP_ADDRESS.test(name)) {
    problems.push('must not look like an IP address');
  }
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) {
      problems.push(`must not start with "${prefix}"`);
    }
  }
  for (const suffix of [
    '-s3alias',
    '--ol-s3',
    '.mrap',
    '--x-s3',
    '--table-s3',
  ]) {
    if (name.endsWith(suffix)) {
      problems.push(`must not end with "${suffix}"`);
    }
  }
  return problems;
}

/**
 * Glue database and table names, as Athena and Lake Formation accept them:
 * lowercase letters, digits and underscores, starting with a letter, at most
 * 255 characters (Glue lowercases names itself, which would surprise a
 * template author who typed capitals).
 */
export function glueNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 1 || name.length > 255) {
    problems.push('must be 1 to 255 characters long');
  }
  if (!/^[a-z0-9_]*$/.test(name)) {
    problems.push('may contain only lowercase letters, digits and underscores');
  }
  if (!/^[a-z]/.test(name)) {
    problems.push('must start with a lowercase letter');
  }
  return problems;
}

/** Column names: like table names, but may start with an underscore. */
export function glueColumnNameProblems(name: string): string[] {
  if (!/^[a-z_][a-z0-9_]{0,254}$/.test(name)) {
    return [
      'must be 1 to 255 lowercase letters, digits and underscores, not starting with a digit',
    ];
  }
  return [];
}

const PRIMITIVE_TYPES = new Set([
  'boolean',
  'tinyint',
  'smallint',
  'int',
  'integer',
  'bigint',
  'float',
  'double',
  'string',
  'date',
  'timestamp',
  'binary',
]);

/**
 * Whether `type` is a Glue (Hive) column type: a primitive, `decimal(p,s)`,
 * `char(n)`, `varchar(n)`, or `array<…>`, `map<…,…>`, `struct<name:type,…>`.
 */
export function glueTypeProblems(type: string): string[] {
  let pos = 0;
  const text = type.trim().toLowerCase();
  const fail = () => {
    throw new Error();
  };
  const skipSpaces = () => {
    while (text[pos] === ' ') pos++;
  };
  const word = () => {
    skipSpaces();
    const match = /^[a-z_][a-z0-9_]*/.exec(text.slice(pos));
    if (!match) fail();
    pos += match![0].length;
    return match![0];
  };
  const expect = (char: string) => {
    skipSpaces();
    if (text[pos] !== char) fail();
    pos++;
  };
  const integer = () => {
    skipSpaces();
    const match = /^\d+/.exec(text.slice(pos));
    if (!match) fail();
    pos += match![0].length;
    return Number(match![0]);
  };
  const parseType = (): void => {
    const name = word();
    if (PRIMITIVE_TYPES.has(name)) return;
    if (name === 'decimal') {
      skipSpaces();
      if (text[pos] === '(') {
        pos++;
        const precision = integer();
        expect(',');
        const scale = integer();
        expect(')');
        if (precision < 1 || precision > 38 || scale > precision) fail();
      }
      return;
    }
    if (name === 'char' || name === 'varchar') {
      expect('(');
      const length = integer();
      expect(')');
      if (length < 1 || length > 65535) fail();
      return;
    }
    if (name === 'array') {
      expect('<');
      parseType();
      expect('>');
      return;
    }
    if (name === 'map') {
      expect('<');
      parseType();
      expect(',');
      parseType();
      expect('>');
      return;
    }
    if (name === 'struct') {
      expect('<');
      do {
        word();
        expect(':');
        parseType();
        skipSpaces();
      } while (text[pos] === ',' && ++pos);
      expect('>');
      return;
    }
    fail();
  };
  try {
    parseType();
    skipSpaces();
    if (pos !== text.length) fail();
    return [];
  } catch {
    return [
      `"${type}" is not a Glue column type (e.g. string, bigint, double, decimal(12,2), date, timestamp, boolean, array<string>, map<string,int>, struct<a:int,b:string>)`,
    ];
  }
}

/** Lake Formation LF-tag keys: 1–128 characters; lowercase, since LF compares them case-insensitively. */
export function lfTagKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key.length < 1 || key.length > 128) {
    problems.push('must be 1 to 128 characters long');
  }
  if (!/^[\p{Ll}\p{N}_.:/=+\-@% ]*$/u.test(key)) {
    problems.push(
      'may contain only lowercase letters, digits, spaces and _ . : / = + - @ %',
    );
  }
  return problems;
}

/** LF-tag values: 1–256 characters; never `*` (a wildcard would match every value). */
export function lfTagValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length < 1 || value.length > 256) {
    problems.push('must be 1 to 256 characters long');
  }
  if (!/^[\p{Ll}\p{N}_.:/=+\-@% ]*$/u.test(value)) {
    problems.push(
      'may contain only lowercase letters, digits, spaces and _ . : / = + - @ % (no wildcards)',
    );
  }
  return problems;
}

/** At most 50 values per LF-tag API call (the tag itself holds at most 1000). */
export const MAX_LF_TAG_VALUES_PER_CALL = 50;

/** An `s3://bucket/prefix/` URI, split; `undefined` when it is not one. */
export function parseS3Uri(
  uri: string,
): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([^/]+)(\/.*)?$/.exec(uri);
  if (!match) {
    return undefined;
  }
  return { bucket: match[1], prefix: (match[2] ?? '/').replace(/^\//, '') };
}

export function s3UriProblems(uri: string): string[] {
  const parsed = parseS3Uri(uri);
  if (!parsed) {
    return ['must be an S3 URI such as s3://my-bucket/prefix/'];
  }
  const problems = bucketNameProblems(parsed.bucket).map(
    problem => `bucket name ${problem}`,
  );
  if (parsed.prefix.includes('*')) {
    problems.push('must not contain wildcards');
  }
  return problems;
}

/** `arn:aws:iam::123456789012:role/path/name`, split; `undefined` when not a role ARN. */
export function parseRoleArn(
  arn: string,
): { partition: string; accountId: string; roleName: string } | undefined {
  const match =
    /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(
      arn,
    );
  if (!match) {
    return undefined;
  }
  return { partition: match[1], accountId: match[2], roleName: match[3] };
}

export function roleArnProblems(arn: string): string[] {
  if (arn.includes('*')) {
    return ['must name one IAM role, not a wildcard'];
  }
  return parseRoleArn(arn)
    ? []
    : ['must be an IAM role ARN such as arn:aws:iam::123456789012:role/MyRole'];
}
