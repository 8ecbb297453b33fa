package dev.eddy.kcl;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** KCL's lease table on dynalite: created ahead of KCL, and read back to check checkpoints. */
final class LeaseTable {
    private LeaseTable() {}

    /**
     * Creates the lease table exactly as KCL 3.x ends up with it: key {@code leaseKey}, on-demand billing,
     * and the global secondary index {@code LeaseOwnerToLeaseKeyIndex} (leaseOwner, leaseKey; keys only).
     *
     * <p>Why the test and not KCL: KCL 3.x creates the table without the index, then adds it with
     * UpdateTable(GlobalSecondaryIndexUpdates: Create), with no ProvisionedThroughput since the table is
     * on-demand. dynalite 4.0.0 refuses that ("1 validation error detected: Value null at
     * 'globalSecondaryIndexUpdates.1.member.create.provisionedThroughput' failed to satisfy constraint:
     * Member must not be null"), and would ignore the Create even with a throughput (its UpdateTable
     * applies throughput changes only). KCL's initialization then fails and its lease discovery keeps
     * failing with "The table does not have the specified index: LeaseOwnerToLeaseKeyIndex". dynalite
     * does build the indexes given to CreateTable, so the table is made here with the index KCL would
     * add; KCL finds both ("Lease table GSI LeaseOwnerToLeaseKeyIndex already exists with status
     * ACTIVE") and goes on as on AWS.
     */
    static void create(DynamoDbAsyncClient dynamo, String table) {
        dynamo.createTable(CreateTableRequest.builder()
                        .tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                                attribute("leaseKey"), attribute("leaseOwner"))
                        .keySchema(key("leaseKey", KeyType.HASH))
                        .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                                .indexName("LeaseOwnerToLeaseKeyIndex")
                                .keySchema(key("leaseOwner", KeyType.HASH), key("leaseKey", KeyType.RANGE))
                                .projection(Projection.builder()
                                        .projectionType(ProjectionType.KEYS_ONLY)
                                        .build())
                                .build())
                        .build())
                .join();
    }

    /** Each shard lease's checkpoint: shard id to sequence number, or TRIM_HORIZON, SHARD_END, ... */
    static Map<String, String> checkpoints(DynamoDbAsyncClient dynamo, String table) {
        Map<String, String> out = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = dynamo.scan(ScanRequest.builder()
                            .tableName(table)
                            .consistentRead(true)
                            .exclusiveStartKey(start)
                            .build())
                    .join();
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue checkpoint = item.get("checkpoint");
                if (checkpoint != null && item.containsKey("leaseKey")) {
                    out.put(item.get("leaseKey").s(), checkpoint.s());
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
