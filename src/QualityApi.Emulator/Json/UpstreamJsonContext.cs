using System.Text.Json.Serialization;

namespace QualityApi.Emulator;

/// <summary>The wire format of the emulated API: snake_case, 64-bit ids written as exact integers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(InstancesPage))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class UpstreamJsonContext : JsonSerializerContext;
