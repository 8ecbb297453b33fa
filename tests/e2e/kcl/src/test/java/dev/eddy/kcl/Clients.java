package dev.eddy.kcl;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.KinesisClientUtil;

/**
 * The SDK clients a KCL application builds, pointed at the local servers. Credentials and region are
 * explicit so the SDK never looks for them elsewhere (EC2 metadata is off as well, see pom.xml).
 */
final class Clients implements AutoCloseable {
    static final Region REGION = Region.US_EAST_1;
    static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x"));

    /** Nothing listens here: metrics are off, and a CloudWatch call would fail fast instead of leaving. */
    private static final URI NO_CLOUDWATCH = URI.create("http://127.0.0.1:9");

    /** The Content-Type of every Kinesis request sent, to tell CBOR from JSON. */
    final Set<String> kinesisContentTypes = ConcurrentHashMap.newKeySet();

    final KinesisAsyncClient kinesis;
    final DynamoDbAsyncClient dynamo;
    final CloudWatchAsyncClient cloudWatch;

    Clients(URI eddy, URI dynalite) {
        // As KCL's own docs build it: KinesisClientUtil sets the Netty client to HTTP/2, which on an
        // http:// endpoint means h2c with prior knowledge, for GetRecords and SubscribeToShard alike.
        this.kinesis = KinesisClientUtil.createKinesisAsyncClient(KinesisAsyncClient.builder()
                .endpointOverride(eddy)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        context.httpRequest().firstMatchingHeader("Content-Type").ifPresent(kinesisContentTypes::add);
                    }
                })));
        this.dynamo = DynamoDbAsyncClient.builder()
                .endpointOverride(dynalite)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .build();
        this.cloudWatch = CloudWatchAsyncClient.builder()
                .endpointOverride(NO_CLOUDWATCH)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    @Override
    public void close() {
        kinesis.close();
        dynamo.close();
        cloudWatch.close();
    }
}
