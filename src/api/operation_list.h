// Every Kinesis operation Eddy serves: EDDY_OPERATION(WireName, symbol). Adding an operation means adding
// its file under ops/ and one line here.
EDDY_OPERATION(CreateStream, create_stream)
EDDY_OPERATION(DeleteStream, delete_stream)
EDDY_OPERATION(DescribeLimits, describe_limits)
EDDY_OPERATION(DescribeStream, describe_stream)
EDDY_OPERATION(DescribeStreamSummary, describe_stream_summary)
EDDY_OPERATION(GetRecords, get_records)
EDDY_OPERATION(GetShardIterator, get_shard_iterator)
EDDY_OPERATION(ListShards, list_shards)
EDDY_OPERATION(ListStreams, list_streams)
EDDY_OPERATION(PutRecord, put_record)
EDDY_OPERATION(PutRecords, put_records)
