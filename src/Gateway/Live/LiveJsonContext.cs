using System.Text.Json.Serialization;

namespace Gateway.Live;

/// <summary>
/// The feed's own JSON, source-generated: a batch as replicas pass it on over Redis pub/sub
/// (changes, fault, head; never credentials), and the strings of the WebSocket error message.
/// </summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(LiveBatch))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
