// Which ARNs the agent's role must be allowed to invoke for a model id.
// A cross-region inference profile (`us.amazon.nova-pro-v1:0`) routes each
// request to the foundation model in one of its regions, so the role needs
// the profile and the model in every region the profile may pick.

import * as iam from 'aws-cdk-lib/aws-iam';

/** The regions each geography's system-defined inference profiles route to. */
const PROFILE_REGIONS: Readonly<Record<string, readonly string[]>> = {
  us: ['us-east-1', 'us-east-2', 'us-west-2'],
};

export interface ModelAccess {
  /** The inference profile, when the agent's model id is one. */
  readonly profileId?: string;
  /** The foundation model behind it, e.g. `amazon.nova-pro-v1:0`. */
  readonly foundationModelId: string;
  /** Regions whose foundation-model ARN the role must be allowed to invoke. */
  readonly regions: readonly string[];
}

export function modelAccess(modelId: string, deployRegion: string): ModelAccess {
  const [geo, ...rest] = modelId.split('.');
  if (rest.length >= 2 && geo in PROFILE_REGIONS) {
    const regions = PROFILE_REGIONS[geo];
    if (!regions.includes(deployRegion)) {
      throw new Error(
        `the inference profile ${modelId} serves ${regions.join(', ')}; deploy to one of them (bedrock.region is ${deployRegion})`,
      );
    }
    return { profileId: modelId, foundationModelId: rest.join('.'), regions };
  }
  if (rest.length >= 2 && geo.length <= 4 && !geo.includes('-')) {
    throw new Error(`unknown inference-profile geography "${geo}" in ${modelId}: add its regions in infra/lib/model.ts`);
  }
  return { foundationModelId: modelId, regions: [deployRegion] };
}

/** The inference profile's ARN (first, when there is one) and every foundation-model ARN behind it. */
export function modelArns(access: ModelAccess, stack: { partition: string; region: string; account: string }): string[] {
  return [
    ...(access.profileId
      ? [`arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${access.profileId}`]
      : []),
    ...access.regions.map((r) => `arn:${stack.partition}:bedrock:${r}::foundation-model/${access.foundationModelId}`),
  ];
}

/** What a role that runs the agent's model needs: invoke and stream it, and read the profile. */
export function modelStatements(access: ModelAccess, arns: string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: arns,
    }),
    ...(access.profileId
      ? [
          new iam.PolicyStatement({
            actions: ['bedrock:GetInferenceProfile'],
            resources: [arns[0]],
          }),
        ]
      : []),
  ];
}
