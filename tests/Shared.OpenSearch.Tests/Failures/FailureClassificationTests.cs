using Shared.OpenSearch.Failures;

namespace Shared.OpenSearch.Tests.Failures;

public sealed class FailureClassificationTests
{
    [Theory]
    [InlineData(429, FailureKind.Transient)] // es_rejected_execution_exception: the write queue is full
    [InlineData(500, FailureKind.Transient)]
    [InlineData(502, FailureKind.Transient)]
    [InlineData(503, FailureKind.Transient)] // unavailable_shards_exception
    [InlineData(400, FailureKind.Permanent)] // mapper_parsing_exception, illegal_argument_exception
    [InlineData(404, FailureKind.Permanent)] // index_not_found_exception with auto-create off
    [InlineData(409, FailureKind.Permanent)] // a conflict that is not a version conflict
    [InlineData(413, FailureKind.Permanent)]
    public void OfRefusedItem_Status_IsTransientOnlyForThrottlingAndServerErrors(int status, FailureKind expected) =>
        Assert.Equal(expected, FailureClassification.OfRefusedItem(status));

    [Theory]
    [InlineData(429, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(500, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(400, false)]
    public void IsBusyRequest_Status_OnlyTheBusyOrRestartingAnswers(int status, bool expected) =>
        Assert.Equal(expected, FailureClassification.IsBusyRequest(status));

    [Theory]
    [InlineData(null, FailureKind.Transient, FailureKind.Transient)]
    [InlineData(null, FailureKind.Permanent, FailureKind.Permanent)]
    [InlineData(FailureKind.Transient, FailureKind.Permanent, FailureKind.Permanent)]
    [InlineData(FailureKind.Permanent, FailureKind.Transient, FailureKind.Permanent)]
    [InlineData(FailureKind.Transient, FailureKind.Transient, FailureKind.Transient)]
    public void Merge_AnyPermanentFailure_MakesTheWholePermanent(FailureKind? current, FailureKind next, FailureKind expected) =>
        Assert.Equal(expected, FailureClassification.Merge(current, next));

    [Theory]
    [InlineData(BulkItemStatus.Indexed, null)]
    [InlineData(BulkItemStatus.VersionConflict, null)]
    [InlineData(BulkItemStatus.NotStored, FailureKind.Transient)]
    [InlineData(BulkItemStatus.Rejected, FailureKind.Permanent)]
    public void Failure_OfAnOutcome_FollowsItsStatus(BulkItemStatus status, FailureKind? expected) =>
        Assert.Equal(expected, new BulkItemOutcome(status, 0, null, null).Failure);
}
