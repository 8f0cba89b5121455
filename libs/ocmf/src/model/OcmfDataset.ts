import type {
  ChargePointIdType,
  CurrentType,
  ErrorFlag,
  IdentificationFlag,
  IdentificationLevel,
  IdentificationType,
  MeterStatus,
  ReadingType,
  TimeStatus,
} from './CodeLists';
import type { Pagination } from './Pagination';
import type { ReadingTime } from './ReadingTime';

/**
 * A decimal read exactly from the text the meter wrote. `text` is its canonical decimal text (no
 * exponent, no leading or trailing zeros), used for exact arithmetic (energy = end - begin) so no
 * binary rounding leaks into a receipt; `value` is the nearest JS number, for display and sorting.
 */
export interface DecimalValue {
  value: number;
  text: string;
}

/** LC: cable loss compensation parameters (OCMF 1.2, table 24). */
export interface LossCompensation {
  /** LN: naming, traceability text. */
  name?: string;
  /** LI: identification in the meter's lookup table. */
  id?: number;
  /** LR: cable resistance used for the compensation. */
  resistance?: DecimalValue;
  /** LU: unit of LR, "mOhm" or "uOhm". */
  unit?: string;
}

/**
 * One reading of RD. Fields the meter omitted because they equal the previous reading's
 * (spec, "Readings") are filled forward, so every reading is complete on its own.
 */
export interface OcmfReading {
  index: number;
  /** TM, parsed; `raw` keeps the exact text. */
  time?: ReadingTime;
  /** TX. */
  type?: ReadingType | string;
  /** RV, exact. */
  value?: DecimalValue;
  /** Why RV is present but not usable (not a number, or one that cannot be held exactly); see the findings. */
  valueUnusable?: string;
  /** RI, OBIS code of the quantity. */
  obis?: string;
  /** RU. */
  unit?: string;
  /** RT. */
  currentType?: CurrentType | string;
  /** CL, cumulated loss already withdrawn from RV. */
  cumulatedLoss?: DecimalValue;
  /** EF, one flag per character. */
  errorFlags: (ErrorFlag | string)[];
  /** ST. */
  status?: MeterStatus | string;
  /** Every key of the reading object as received (after fill-forward), including vendor keys. */
  fields: Record<string, unknown>;
}

/** The payload section, typed. Vendor keys (U..Z) and unknown keys stay in `fields`. */
export interface OcmfPayload {
  /** FV */ formatVersion?: string;
  /** GI */ gatewayId?: string;
  /** GS */ gatewaySerial?: string;
  /** GV */ gatewayVersion?: string;
  /** PG */ pagination?: Pagination;
  /** MV */ meterVendor?: string;
  /** MM */ meterModel?: string;
  /** MS */ meterSerial?: string;
  /** MF */ meterFirmware?: string;
  /** IS */ identificationStatus?: boolean;
  /** IL */ identificationLevel?: IdentificationLevel | string;
  /** IF */ identificationFlags: (IdentificationFlag | string)[];
  /** IT */ identificationType?: IdentificationType | string;
  /** ID */ identificationData?: string;
  /** TT */ tariffText?: string;
  /** CF */ chargeControllerFirmware?: string;
  /** CCV (OCMF 1.3+) */ chargeControllerVersion?: string;
  /** LC */ lossCompensation?: LossCompensation;
  /** CT */ chargePointIdType?: ChargePointIdType | string;
  /** CI */ chargePointId?: string;
  /** RD */ readings: OcmfReading[];
  /** Every top-level key as received. */
  fields: Record<string, unknown>;
}

/** The signature section. */
export interface OcmfSignature {
  /** SA as written, or undefined when the default applies. */
  algorithm?: string;
  /** SE as written. */
  encoding?: string;
  /** SM as written. */
  mimeType?: string;
  /** SD */
  data?: string;
  fields: Record<string, unknown>;
}

/** A parsed dataset: the typed view and the exact bytes that were signed. */
export interface OcmfDataset {
  /** Exactly the characters between `OCMF|` and `|{signature}`: the signed text. */
  payloadText: string;
  signatureText: string;
  payload: OcmfPayload;
  signature: OcmfSignature;
}
