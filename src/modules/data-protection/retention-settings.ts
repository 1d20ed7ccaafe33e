import Type from 'typebox';

/**
 * How long records are kept (decision 0012, docs/configuration.md). The defaults follow commonly
 * used UK guidance; each partnership sets its own with its data protection officer.
 */
export const RetentionSettingsSchema = Type.Object(
  {
    /**
     * Children's social care records are commonly kept until the child's 25th birthday (IRMS
     * Retention Guidelines for Local Authorities, children's social care case files).
     */
    childRecordUntilAge: Type.Integer({ minimum: 18, maximum: 120, default: 25 }),
    /**
     * Records of looked-after children are kept 75 years from birth (Care Planning, Placement and
     * Case Review (England) Regulations 2010, regulation 50); here the long period applies when the
     * child's chronology holds one of longRetentionEventTypes.
     */
    longRetentionYears: Type.Integer({ minimum: 18, maximum: 120, default: 75 }),
    longRetentionEventTypes: Type.Array(Type.String({ minLength: 1 }), {
      default: ['child-protection-plan', 'strategy-discussion', 'marac-discussion'],
    }),
    /**
     * The same long period when the child holds, or held, a flag of one of these types (flags,
     * docs/health.md): a child-protection plan, being looked after, a MARAC discussion.
     */
    longRetentionFlagTypes: Type.Array(Type.String({ minLength: 1 }), {
      default: ['child-protection-plan', 'looked-after', 'marac'],
    }),
    /**
     * Contacts closed with no further action: years after closing (a shorter period; many local
     * authorities keep them 6 years).
     */
    noFurtherActionContactYears: Type.Integer({ minimum: 0, maximum: 120, default: 6 }),
    /** Rows shown per page on the retention review page. */
    pageSize: Type.Integer({ minimum: 5, maximum: 500, default: 25 }),
  },
  { additionalProperties: false, default: {} },
);
