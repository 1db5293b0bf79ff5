import BusKit
import Foundation

/// The explicit confirmation that `prod` (real money) is meant: the key id of the account's stored credentials,
/// given either in `bus.conf` (`[plugin.executor] confirm_prod_key_id`) or by `recio up --confirm-prod KEY_ID`,
/// which hands it to every plugin in ``environmentVariable``. The executor checks it itself at start, so a
/// `recio plugin executor` started by hand cannot skip it. Naming the key id (not just "yes") means a confirmation
/// written for one account never confirms another.
public enum ProdConfirmation {
    /// The environment variable `recio up --confirm-prod` sets for the processes it starts.
    public static let environmentVariable = "RECIO_CONFIRM_PROD"

    /// Nil when the executor may start; else why not and exactly how to confirm.
    /// - Parameters:
    ///   - mode: `[bus] mode`; only `prod` needs a confirmation.
    ///   - keyID: the key id of the stored prod credentials.
    ///   - configured: `confirm_prod_key_id` from `bus.conf`, if any.
    ///   - environment: the value of ``environmentVariable``, if any.
    ///   - configPath: the `bus.conf` read, named in the message.
    public static func refusal(mode: RunMode, keyID: String, configured: String?, environment: String?, configPath: String) -> String? {
        guard mode == .prod else { return nil }
        let given = [configured, environment].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if given.contains(keyID) { return nil }
        let how = """
            prod trades real money and needs an explicit confirmation naming the account's key id (the one in the prod \
            credentials, `recio credentials list` shows it): add `confirm_prod_key_id = <key id>` to [plugin.executor] \
            in \(configPath), or start the fleet with `recio up --confirm-prod <key id>` \
            (\(environmentVariable)=<key id> for a plugin run by hand)
            """
        return given.isEmpty ? "the executor refuses to start: \(how)" : "the executor refuses to start: the confirmation given "
            + "does not name the key id of the prod credentials; \(how)"
    }
}
