import Foundation

/// The JSON of `/v1/embeddings`. These run once per batch of texts, not per record, so
/// Foundation's coders are fine here.
extension OpenAIEmbedder {
    private struct Request: Encodable {
        var model: String
        var input: [String]
        var dimensions: Int?
        var encoding_format = "float"
    }

    private struct Response: Decodable {
        struct Item: Decodable {
            var index: Int
            var embedding: [Float]
        }
        var data: [Item]
    }

    private struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail?
    }

    static func requestBody(model: String, texts: [String], dimensions: Int?) -> [UInt8] {
        let encoder = JSONEncoder()
        let data = (try? encoder.encode(Request(model: model, input: texts, dimensions: dimensions))) ?? Data()
        return Array(data)
    }

    /// The vectors of a 2xx answer, ordered by `index`; refuses a wrong count or dimension.
    static func parseResponse(_ body: [UInt8], count: Int, dimension: Int) throws(VectorError) -> [[Float]] {
        let decoded: Response
        do {
            decoded = try JSONDecoder().decode(Response.self, from: Data(body))
        } catch {
            throw VectorError(.embedderResponseInvalid, "the embedding service's answer is not an embeddings list: \(error)")
        }
        guard decoded.data.count == count else {
            throw VectorError(.embedderResponseInvalid, "asked for \(count) embeddings, got \(decoded.data.count)", expected: count, actual: decoded.data.count)
        }
        var vectors = [[Float]](repeating: [], count: count)
        for item in decoded.data {
            guard vectors.indices.contains(item.index), vectors[item.index].isEmpty else {
                throw VectorError(.embedderResponseInvalid, "embedding index \(item.index) is out of range or repeated")
            }
            guard item.embedding.count == dimension else {
                throw VectorError(.embedderResponseInvalid, "embedding of length \(item.embedding.count), the topology says \(dimension)", expected: dimension, actual: item.embedding.count)
            }
            vectors[item.index] = item.embedding
        }
        return vectors
    }

    /// The service's `error.message`, or the start of the body, for error messages.
    static func errorMessage(_ body: [UInt8]) -> String {
        if let parsed = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)), let message = parsed.error?.message {
            return String(message.prefix(300))
        }
        return String(decoding: body.prefix(300), as: UTF8.self)
    }
}
