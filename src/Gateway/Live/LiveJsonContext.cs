using System.Text.Json.Serialization;

namespace Gateway.Live;

/// <summary>The feed's own JSON: source-generated, like the rest of the gateway's.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
