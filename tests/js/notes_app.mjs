// The notes app's calls, made by the AWS SDK for JavaScript v3 as the serverless notes app
// makes them (create, get, list, update, delete), then a read of the table's stream.
// Usage: node notes_app.mjs <endpoint-url> <table-name>. Exits non-zero on the first wrong answer.
import assert from "node:assert/strict";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ConditionalCheckFailedException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBStreamsClient,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

const [endpoint, tableName] = process.argv.slice(2);
assert.ok(endpoint && tableName, "usage: node notes_app.mjs <endpoint-url> <table-name>");

const config = {
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
};
const client = new DynamoDBClient(config);
const documents = DynamoDBDocumentClient.from(client);
const streams = new DynamoDBStreamsClient(config);

await client.send(
  new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: "userId", AttributeType: "S" },
      { AttributeName: "noteId", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "userId", KeyType: "HASH" },
      { AttributeName: "noteId", KeyType: "RANGE" },
    ],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  }),
);
await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });

// create: two notes of one user, one of another; a second create of the same id is refused.
const userId = "us-east-1:6f1c-ünïcode";
const notes = ["note-1", "note-2"].map((noteId, i) => ({
  userId,
  noteId,
  content: `hello ${i}`,
  attachment: i === 0 ? "photo.png" : null,
  createdAt: 1700000000000 + i,
}));
for (const note of notes) {
  await documents.send(
    new PutCommand({
      TableName: tableName,
      Item: note,
      ConditionExpression: "attribute_not_exists(noteId)",
    }),
  );
}
await documents.send(
  new PutCommand({ TableName: tableName, Item: { userId: "someone-else", noteId: "note-1", content: "x" } }),
);
await assert.rejects(
  documents.send(
    new PutCommand({
      TableName: tableName,
      Item: notes[0],
      ConditionExpression: "attribute_not_exists(noteId)",
    }),
  ),
  (err) => err instanceof ConditionalCheckFailedException && err.$metadata.httpStatusCode === 400,
);

// get
const got = await documents.send(
  new GetCommand({ TableName: tableName, Key: { userId, noteId: "note-1" } }),
);
assert.deepEqual(got.Item, notes[0]);
const missing = await documents.send(
  new GetCommand({ TableName: tableName, Key: { userId, noteId: "nope" } }),
);
assert.equal(missing.Item, undefined);

// list: the user's notes, a page of one at a time
const listed = [];
let ExclusiveStartKey;
do {
  const page = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "userId = :userId",
      ExpressionAttributeValues: { ":userId": userId },
      Limit: 1,
      ExclusiveStartKey,
    }),
  );
  listed.push(...page.Items);
  ExclusiveStartKey = page.LastEvaluatedKey;
} while (ExclusiveStartKey);
assert.deepEqual(listed, notes);

// update
const updated = await documents.send(
  new UpdateCommand({
    TableName: tableName,
    Key: { userId, noteId: "note-1" },
    UpdateExpression: "SET content = :content, attachment = :attachment",
    ExpressionAttributeValues: { ":content": "changed", ":attachment": null },
    ReturnValues: "ALL_NEW",
  }),
);
assert.deepEqual(updated.Attributes, { ...notes[0], content: "changed", attachment: null });

// delete
const deleted = await documents.send(
  new DeleteCommand({
    TableName: tableName,
    Key: { userId, noteId: "note-2" },
    ReturnValues: "ALL_OLD",
  }),
);
assert.deepEqual(deleted.Attributes, notes[1]);
const after = await documents.send(
  new QueryCommand({
    TableName: tableName,
    KeyConditionExpression: "userId = :userId",
    ExpressionAttributeValues: { ":userId": userId },
  }),
);
assert.deepEqual(after.Items.map((n) => n.noteId), ["note-1"]);

// the stream: every write above, in order, with both images
const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
const StreamArn = table.Table.LatestStreamArn;
assert.ok(StreamArn, "the table has a stream");
const stream = await streams.send(new DescribeStreamCommand({ StreamArn }));
assert.equal(stream.StreamDescription.StreamViewType, "NEW_AND_OLD_IMAGES");
const [shard] = stream.StreamDescription.Shards;
let { ShardIterator } = await streams.send(
  new GetShardIteratorCommand({
    StreamArn,
    ShardId: shard.ShardId,
    ShardIteratorType: "TRIM_HORIZON",
  }),
);
const records = [];
for (let i = 0; i < 10 && ShardIterator; i++) {
  const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 2 }));
  records.push(...page.Records);
  if (page.Records.length === 0) break;
  ShardIterator = page.NextShardIterator;
}
const events = records.map((r) => [
  r.eventName,
  r.dynamodb.Keys.userId.S,
  r.dynamodb.Keys.noteId.S,
]);
assert.deepEqual(events, [
  ["INSERT", userId, "note-1"],
  ["INSERT", userId, "note-2"],
  ["INSERT", "someone-else", "note-1"],
  ["MODIFY", userId, "note-1"],
  ["REMOVE", userId, "note-2"],
]);
assert.equal(records[3].dynamodb.OldImage.content.S, "hello 0");
assert.equal(records[3].dynamodb.NewImage.content.S, "changed");
assert.equal(records[4].dynamodb.NewImage, undefined);
assert.equal(records[4].dynamodb.OldImage.content.S, "hello 1");

console.log(JSON.stringify({ ok: true, notes: listed.length, records: records.length }));
