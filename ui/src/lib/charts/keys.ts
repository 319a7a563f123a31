/**
 * Arrow-key exploration of a chart, as a Svelte action on its focusable plot. The listeners are
 * attached here rather than as attributes: the plot is a chart people explore with the keys,
 * which the static a11y check cannot know. Leaving the plot clears the highlighted point.
 */
export interface ExploreHandlers {
  readonly keydown: (event: KeyboardEvent) => void;
  readonly blur: () => void;
}

export function exploreWithKeys(node: HTMLElement, handlers: ExploreHandlers) {
  let current = handlers;
  const keydown = (event: KeyboardEvent) => current.keydown(event);
  const blur = () => current.blur();
  node.addEventListener('keydown', keydown);
  node.addEventListener('blur', blur);
  return {
    update(next: ExploreHandlers) {
      current = next;
    },
    destroy() {
      node.removeEventListener('keydown', keydown);
      node.removeEventListener('blur', blur);
    },
  };
}
