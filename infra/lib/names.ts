// Names shared by the stack, its tests and `cargo xtask package`.

/** The BFF: cargo bin `custodian` (package `server`). */
export const WEB_BIN = 'custodian';
export const WEB_FUNCTION = 'custodian-web';
/** The custom resource that fills the sealing-key secret. */
export const KEYGEN_BIN = 'fernet-keygen';
export const KEYGEN_FUNCTION = 'fernet-keygen';

/** Secrets Manager secret the operator fills with the app's client secrets. */
export const CREDENTIALS_SECRET_NAME = 'custodian-app-credentials';
/** Names that secret (its ARN) for every Lambda that loads settings. */
export const CREDENTIALS_SECRET_VAR = 'CUSTODIAN_CREDENTIALS_SECRET';

/** The API Gateway stage: the app's path prefix. */
export const STAGE = 'prod';

/**
 * Settings file inside every Lambda zip (`cargo xtask package` puts
 * config/lambda.json there). It is empty: in AWS every setting comes from
 * environment variables and the credentials secret.
 */
export const LAMBDA_CONFIG_PATH = '/var/task/config/lambda.json';
/** Where the BFF zip carries the Leptos site (bundle, stylesheet, public files). */
export const LAMBDA_SITE_ROOT = '/var/task/site';

/** Each Lambda's code: `<assetRoot>/<bin>/bootstrap.zip`, as cargo-lambda writes it. */
export const ASSET_FILE = 'bootstrap.zip';
