using System.Text.Json.Serialization;

namespace QualityApi.Emulator;

internal sealed record StatsBody(long ListCalls);

internal sealed record InsertedBody(string ProjectId, int Count);

internal sealed record AdminErrorBody(string Error);

/// <summary>
/// The admin surface's format: camelCase like most scripts expect, fault kinds by name, and
/// "kind" required (the other fault fields keep their C# defaults when omitted).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    UseStringEnumConverter = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Fault))]
[JsonSerializable(typeof(StatsBody))]
[JsonSerializable(typeof(InsertedBody))]
[JsonSerializable(typeof(AdminErrorBody))]
[JsonSerializable(typeof(QualityInstance))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
