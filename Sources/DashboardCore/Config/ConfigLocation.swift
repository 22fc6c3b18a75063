/// Where kprov keeps its own configuration: `$XDG_CONFIG_HOME/kprov`, else `~/.config/kprov`.
public enum ConfigLocation {
    /// The kprov config folder, or `nil` when neither `XDG_CONFIG_HOME` nor `HOME` is set.
    public static func configDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/kprov" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/kprov" }
        return nil
    }

    /// `config.yaml` in the config folder.
    public static func configFile(environment: [String: String]) -> String? {
        configDirectory(environment: environment).map { $0 + "/config.yaml" }
    }
}
