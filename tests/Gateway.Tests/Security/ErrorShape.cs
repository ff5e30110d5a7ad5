using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Security;

/// <summary>
/// What every answer of the endpoint must look like, whatever was sent: no 5xx, JSON, and a
/// GraphQL response (or, for a batch, an array of them) whose every error has a message and a
/// string <c>extensions.code</c> other than INTERNAL_SERVER_ERROR, with no stack trace.
/// </summary>
internal static class ErrorShape
{
    /// <summary>Null when the answer is well formed; otherwise what is wrong with it.</summary>
    /// <param name="errorsRequired">True when the request was broken on purpose, so its answer must be an error.</param>
    public static string? Problem(HttpStatusCode status, string body, bool errorsRequired = true)
    {
        if ((int)status >= 500)
        {
            return "server error";
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return "not JSON";
        }

        var problem = json is JsonArray batch
            ? batch.Select(result => ResultProblem(result, errorsRequired)).FirstOrDefault(found => found is not null)
            : ResultProblem(json, errorsRequired);
        return problem ?? (body.Contains("   at ", StringComparison.Ordinal) ? "a stack trace" : null);
    }

    /// <summary>The codes of every error of the answer (of every result, for a batch).</summary>
    public static IEnumerable<string> Codes(string body) =>
        JsonNode.Parse(body) switch
        {
            JsonArray batch => batch.SelectMany(result => CodesOf(result)),
            var single => CodesOf(single),
        };

    /// <summary>True when the answer (or every result of a batch) has data and no error.</summary>
    public static bool Succeeded(string body) =>
        JsonNode.Parse(body) switch
        {
            JsonArray batch => batch.All(result => result?["data"] is not null && result["errors"] is null),
            var single => single?["data"] is not null && single["errors"] is null,
        };

    /// <summary>A body short enough for a failure message.</summary>
    public static string Shorten(string text, int length = 300) => text.Length <= length ? text : text[..length] + "...";

    private static string? ResultProblem(JsonNode? json, bool errorsRequired)
    {
        if (json is not JsonObject result)
        {
            return "not a GraphQL response object";
        }

        if (result["errors"] is not JsonArray errors)
        {
            return errorsRequired || result["errors"] is not null ? "no errors array" : result.ContainsKey("data") ? null : "neither data nor errors";
        }

        if (errors.Count == 0)
        {
            return "an empty errors array";
        }

        foreach (var error in errors)
        {
            if (!IsNonEmptyString(error?["message"], out _) || !IsNonEmptyString(error?["extensions"]?["code"], out var code))
            {
                return "an error without message or string extensions.code";
            }

            if (code == "INTERNAL_SERVER_ERROR")
            {
                return "an internal error";
            }
        }

        return null;
    }

    private static IEnumerable<string> CodesOf(JsonNode? result) =>
        (result?["errors"] as JsonArray ?? []).Select(error => IsNonEmptyString(error?["extensions"]?["code"], out var code) ? code : "(none)");

    private static bool IsNonEmptyString(JsonNode? node, out string text)
    {
        text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : "";
        return text.Length > 0;
    }
}
