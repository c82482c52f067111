/// A problem with the inputs of an association analysis: the file it concerns (when one does) and
/// what is wrong, in words a user can act on.
public struct AssociationError: Error, CustomStringConvertible, Equatable {
    public var path: String?
    public var problem: String

    public init(_ path: String?, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { path.map { "\($0): \(problem)" } ?? problem }
}
