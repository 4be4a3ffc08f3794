//! The two tables of infra/README.md ("Data model"), created in moto with
//! the SDK exactly as the CDK stack declares them.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use custodian_core::store::DynamoTables;
use custodian_core::store::dynamodb::{
    CONVERSATIONS_PARTITION_KEY, CONVERSATIONS_SORT_KEY, SESSION_OWNER, SESSION_RECORD,
    SESSIONS_BY_OWNER_INDEX, SESSIONS_PARTITION_KEY, TTL_ATTRIBUTE,
};
use tokio::sync::OnceCell;

/// The names the CDK stack gives the tables.
pub fn names() -> DynamoTables {
    DynamoTables {
        sessions: "bedrock-sessions".into(),
        conversations: "custodian-conversations".into(),
    }
}

/// Creates the tables once per test binary.
pub async fn ensure(sdk_config: &aws_config::SdkConfig) {
    static CREATED: OnceCell<()> = OnceCell::const_new();
    CREATED.get_or_init(|| create(sdk_config)).await;
}

pub fn raw_client(sdk_config: &aws_config::SdkConfig) -> Client {
    let config = aws_sdk_dynamodb::config::Builder::from(sdk_config)
        .endpoint_url(&test_support::moto::moto().endpoint)
        .build();
    Client::from_conf(config)
}

/// The schema infra/ deploys (see infra/README.md, "Data model").
async fn create(sdk_config: &aws_config::SdkConfig) {
    let client = raw_client(sdk_config);
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .unwrap()
    };
    let text_attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .unwrap()
    };
    let tables = names();
    client
        .create_table()
        .table_name(&tables.sessions)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(SESSIONS_PARTITION_KEY, KeyType::Hash))
        .attribute_definitions(text_attribute(SESSIONS_PARTITION_KEY))
        .attribute_definitions(text_attribute(SESSION_OWNER))
        .global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(SESSIONS_BY_OWNER_INDEX)
                .key_schema(key(SESSION_OWNER, KeyType::Hash))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::Include)
                        .non_key_attributes(SESSION_RECORD)
                        .non_key_attributes(TTL_ATTRIBUTE)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    client
        .update_time_to_live()
        .table_name(&tables.sessions)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(TTL_ATTRIBUTE)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    client
        .create_table()
        .table_name(&tables.conversations)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(CONVERSATIONS_PARTITION_KEY, KeyType::Hash))
        .key_schema(key(CONVERSATIONS_SORT_KEY, KeyType::Range))
        .attribute_definitions(text_attribute(CONVERSATIONS_PARTITION_KEY))
        .attribute_definitions(text_attribute(CONVERSATIONS_SORT_KEY))
        .send()
        .await
        .unwrap();
}
