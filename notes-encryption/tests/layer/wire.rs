//! The same layer on `DynamoDbBackend`, through DynamoDB's own protocol (notes-local serving
//! a `MemoryBackend`): the engine stores the same form, and the same errors come back.

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use notes_encryption::Encrypted;
use notes_local::protocol::Service;
use notes_local::{LocalServer, ServerOptions};
use notes_repo::{
    AttributeValue, DecryptionFailure, DynamoDbBackend, Error, Item, MemoryBackend, Note, Repo,
};

use super::{U1_N1, encryption, note, put_raw, raw};

fn client(url: &str) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(url)
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamodb_backend_stores_and_reads_the_same_encrypted_items() {
    let engine = MemoryBackend::new();
    let server = LocalServer::start(
        Service::new(engine.clone(), "us-east-1"),
        ServerOptions::default(),
    )
    .await
    .unwrap();
    let backend = DynamoDbBackend::new(client(&server.endpoint()));
    let repo: Repo<Note, _> = Repo::new(Encrypted::new(backend, encryption(7)));
    repo.create_table_on_demand().await.unwrap();

    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    assert_eq!(
        repo.get(&written.key()).await.unwrap(),
        Some(written.clone())
    );
    assert_eq!(
        repo.query("u1").all().await.unwrap(),
        std::slice::from_ref(&written)
    );

    let mut stored = raw(&engine, &written.key()).await;
    assert!(matches!(stored["content"], AttributeValue::B(_)));
    assert!(stored.contains_key("aws_dbe_head") && stored.contains_key("aws_dbe_foot"));

    stored.insert("createdAt".into(), AttributeValue::N("2".into()));
    put_raw(&engine, stored).await;
    let err = repo.get(&written.key()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decryption { failure: DecryptionFailure::Tampered, key, .. } if key == U1_N1),
        "{err:?}"
    );
    server.shutdown().await.unwrap();
}
