// Stryker ignorer: a decorator's arguments (GraphQL names and descriptions, column names, DI tokens) are schema
// declarations checked by the schema contract and the database tests, not logic a unit test could prove; mutating
// them would only add noise to the score.
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

class DecoratorIgnorer {
  shouldIgnore(path) {
    return path.isDecorator() ? 'decorator arguments are schema declarations, not logic' : undefined;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'decorators', DecoratorIgnorer)];
