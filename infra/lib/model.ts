// Which ARNs the agent's role must be allowed to invoke for a model id.
// A cross-region inference profile (`us.amazon.nova-pro-v1:0`) routes each
// request to the foundation model in one of its destination regions, and
// AWS adds destinations over time. So the role gets the profile, and the
// foundation model in any region *only when reached through that profile*
// (Bedrock User Guide, "Prerequisites for inference profiles": restrict
// foundation-model access with the `bedrock:InferenceProfileArn` condition),
// instead of a list of regions that goes stale.

import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Which deployment regions each geography's system-defined profiles can be
 * called from (their source regions), by region-name prefix. Bedrock User
 * Guide, "Supported Regions and models for inference profiles".
 */
const PROFILE_SOURCE_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  us: ['us-'],
  eu: ['eu-'],
  apac: ['ap-'],
  global: [''],
};

export interface ModelAccess {
  /** The inference profile, when the agent's model id is one. */
  readonly profileId?: string;
  /** The foundation model behind it, e.g. `amazon.nova-pro-v1:0`. */
  readonly foundationModelId: string;
}

export function modelAccess(modelId: string, deployRegion: string): ModelAccess {
  const [geo, ...rest] = modelId.split('.');
  if (rest.length >= 2 && geo in PROFILE_SOURCE_PREFIXES) {
    const prefixes = PROFILE_SOURCE_PREFIXES[geo];
    if (!prefixes.some((p) => deployRegion.startsWith(p))) {
      throw new Error(
        `the inference profile ${modelId} is called from ${prefixes.map((p) => `${p}*`).join(', ')} regions; deploy to one of them (bedrock.region is ${deployRegion})`,
      );
    }
    return { profileId: modelId, foundationModelId: rest.join('.') };
  }
  if (rest.length >= 2 && geo.length <= 6 && !geo.includes('-')) {
    throw new Error(`unknown inference-profile geography "${geo}" in ${modelId}: add it in infra/lib/model.ts`);
  }
  return { foundationModelId: modelId };
}

type StackIds = { partition: string; region: string; account: string };

/** The inference profile's ARN, when the model id is one. */
export function profileArn(access: ModelAccess, stack: StackIds): string | undefined {
  return access.profileId
    ? `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${access.profileId}`
    : undefined;
}

const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** What a role that runs the agent's model needs: invoke and stream it, and read the profile. */
export function modelStatements(access: ModelAccess, stack: StackIds): iam.PolicyStatement[] {
  const profile = profileArn(access, stack);
  if (!profile) {
    return [
      new iam.PolicyStatement({
        actions: INVOKE,
        resources: [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${access.foundationModelId}`],
      }),
    ];
  }
  return [
    new iam.PolicyStatement({ actions: [...INVOKE, 'bedrock:GetInferenceProfile'], resources: [profile] }),
    // Whichever destination region the profile picks, but never directly.
    new iam.PolicyStatement({
      actions: INVOKE,
      resources: [`arn:${stack.partition}:bedrock:*::foundation-model/${access.foundationModelId}`],
      conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
    }),
  ];
}
