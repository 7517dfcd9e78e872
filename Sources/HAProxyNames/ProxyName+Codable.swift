/// A name as a JSON string, validated when read: a document from another
/// process (the daemon's state file) holds names only a ``ProxyName`` accepts,
/// or it is refused as a whole.
extension ProxyName: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text.debugDescription) \(error.reason)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
