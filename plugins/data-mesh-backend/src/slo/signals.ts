// The measured signals SLO evaluation reads, as plain data. Readers
// (signalReaders.ts) fill them from AWS; tests build them by hand.

/**
 * The result of reading one signal: the data, or why it could not be read.
 * `observedAt` is when the reading was made.
 */
export type SignalResult<T> =
  | { ok: true; data: T; observedAt: Date; source: string }
  | {
      ok: false;
      /** `not-found`: the object does not exist (a real finding). Anything else: we could not look. */
      kind: 'not-found' | 'unavailable' | 'not-configured';
      reason: string;
      observedAt: Date;
      source: string;
    };

export interface GlueTableSignal {
  createTime?: Date;
  /** Absent when the table was never updated after creation. */
  updateTime?: Date;
  /** `Parameters.recordCount`, as crawlers write it. */
  recordCount?: number;
  partitionKeys: { name: string; type?: string }[];
  location?: string;
}

export interface GluePartitionsSignal {
  /** Partitions read (up to the reader's bound). */
  count: number;
  /** All partitions were read (not cut off by the bound). */
  complete: boolean;
  /** Creation times of the partitions read. */
  creationTimes: Date[];
  /** Partition values, in the order of the table's partition keys. */
  values: string[][];
}

export interface S3ObjectsSignal {
  newestLastModified?: Date;
  oldestLastModified?: Date;
  objectCount: number;
  /** The listing was not cut off by the reader's bound. */
  complete: boolean;
}

export interface CrawlerSignal {
  name: string;
  state?: string;
  lastRunStatus?: string;
  lastRunStart?: Date;
  lastRunEnd?: Date;
  errorMessage?: string;
}

/** One rule result of a data-quality run (DataZone `DataQualityResultFormType`). */
export interface DataQualityEvaluation {
  types: string[];
  description?: string;
  applicableFields: string[];
  status?: string;
  details?: Record<string, string>;
}

export interface DataQualityRun {
  timestamp: Date;
  passingPercentage?: number;
  evaluations: DataQualityEvaluation[];
}

export interface DataQualitySignal {
  /** Newest first. */
  runs: DataQualityRun[];
}

/** Everything measured about one dataset. Absent = not read (no configuration for it). */
export interface DatasetSignals {
  table?: SignalResult<GlueTableSignal>;
  partitions?: SignalResult<GluePartitionsSignal>;
  s3?: SignalResult<S3ObjectsSignal>;
  crawler?: SignalResult<CrawlerSignal>;
  quality?: SignalResult<DataQualitySignal>;
}

/** How long the dataset was found readable or missing, from stored probes over the window. */
export interface AvailabilityHistory {
  upMs: number;
  downMs: number;
}
