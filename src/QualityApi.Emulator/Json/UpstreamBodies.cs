namespace QualityApi.Emulator;

/// <summary>The 200 body of the list endpoint.</summary>
internal sealed record InstancesPage(int Count, IReadOnlyList<QualityInstance> Resources);

/// <summary>The error body the service (DQC.*) and its API gateway (APIGW.*) both use.</summary>
internal sealed record ErrorBody(string ErrorCode, string ErrorMsg);
